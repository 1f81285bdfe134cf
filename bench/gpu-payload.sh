#!/usr/bin/env bash
# Builds, here (JDK 17 + Maven), everything bench/gpu-check.sh needs on a GPU machine that has no
# JDK, no Maven and no network: a jlinked JRE, the runtime and test jars of the -Pgpu build, the
# module and test classes (with the golden fixtures), and the libtorch CUDA natives extracted from
# the Bytedeco jar. Packs them into one xz tar split into parts small enough for the device tool
# (it carries at most 64 MiB of working tree per call; the tracked tree takes ~12 MiB of that).
#
#   bench/gpu-payload.sh            # CUDA payload  -> target/gpu-payload/parts/{MANIFEST,part-NN}
#   bench/gpu-payload.sh --cpu      # same layout with the CPU natives (dry run of gpu-check.sh here)
# Environment: PART_MIB (default 48), XZ_LEVEL (default 6), PAYLOAD_DIR (default target/gpu-payload).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${PAYLOAD_DIR:-$ROOT/target/gpu-payload}"
PART_MIB="${PART_MIB:-48}"
XZ_LEVEL="${XZ_LEVEL:-6}"
PROFILE=(-Pgpu)
KIND=gpu
if [[ "${1:-}" == "--cpu" ]]; then PROFILE=(); KIND=cpu; fi
STAGE="$OUT/stage"
rm -rf "$OUT"
mkdir -p "$STAGE"/{lib,natives,classes,test-classes} "$OUT/parts"
log() { echo "gpu-payload: $*" >&2; }

log "building ($KIND natives) and copying dependencies"
(cd "$ROOT" && mvn -B -ntp -q "${PROFILE[@]}" -DskipTests -Dspotless.check.skip=true package \
  dependency:copy-dependencies -DincludeScope=test -DoutputDirectory="$STAGE/lib" \
  -DexcludeGroupIds=dev.vitrail)
for m in config encoders actors runtime bench; do
  mkdir -p "$STAGE/classes/$m"
  cp -r "$ROOT/$m/target/classes/." "$STAGE/classes/$m/"
  if [[ -d "$ROOT/$m/target/test-classes" ]]; then
    mkdir -p "$STAGE/test-classes/$m"
    cp -r "$ROOT/$m/target/test-classes/." "$STAGE/test-classes/$m/"
  fi
done

# libtorch natives: extracted into a class-path directory (JavaCPP loads them from there), the
# jar itself is not shipped. FFmpeg's natives (video only) are left out.
NATIVE_JAR="$(ls "$STAGE"/lib/pytorch-*-linux-x86_64"$([[ $KIND == gpu ]] && echo -gpu)".jar)"
(cd "$STAGE/natives" && unzip -q "$NATIVE_JAR" 'org/bytedeco/pytorch/*' \
  -x '*/libjnitorch_gloo.so' '*/libjnitorch_nccl.so')
# JavaFX comes with JavaCV and is never used.
rm -f "$STAGE"/lib/pytorch-*-linux-x86_64*.jar "$STAGE"/lib/ffmpeg-*-linux-x86_64.jar \
  "$STAGE"/lib/javafx-*.jar

# The class path, relative to the payload root.
{
  for m in config encoders actors runtime bench; do echo "classes/$m"; done
  echo natives
  for f in "$STAGE"/lib/*.jar; do echo "lib/$(basename "$f")"; done
} > "$STAGE/classpath.txt"
{
  for m in encoders actors; do echo "test-classes/$m"; done
} > "$STAGE/test-classpath.txt"

log "jlink"
MODULES="$(jdeps --ignore-missing-deps --multi-release 17 --print-module-deps \
  --class-path "$STAGE/lib/*" "$STAGE"/classes/* 2>/dev/null || true)"
MODULES="${MODULES:-java.base,java.desktop,java.logging,java.management,java.naming,java.sql,java.xml}"
MODULES="$MODULES,jdk.unsupported,jdk.management,java.desktop,jdk.crypto.ec,jdk.zipfs"
jlink --add-modules "$MODULES" --strip-debug --no-man-pages --no-header-files --compress=2 \
  --output "$STAGE/jre"
echo "$MODULES" > "$STAGE/jre-modules.txt"
git -C "$ROOT" rev-parse HEAD > "$STAGE/COMMIT" 2>/dev/null || echo unknown > "$STAGE/COMMIT"
echo "$KIND" > "$STAGE/KIND"

log "sizes (MiB, uncompressed)"
du -sm "$STAGE"/{jre,lib,natives,classes,test-classes} | tee "$OUT/sizes.txt" >&2
du -k "$STAGE"/lib/*.jar "$STAGE"/natives/org/bytedeco/pytorch/*/* | sort -rn | head -12 >> "$OUT/sizes.txt"

log "xz -$XZ_LEVEL (slow: ~1 GB of natives)"
tar -C "$STAGE" -cf - . | xz "-$XZ_LEVEL" -T2 > "$OUT/payload.tar.xz"
split -b "${PART_MIB}M" -d -a 2 "$OUT/payload.tar.xz" "$OUT/parts/part-"
{
  echo "kind $KIND"
  echo "commit $(cat "$STAGE/COMMIT")"
  echo "payload $(stat -c %s "$OUT/payload.tar.xz") $(sha256sum "$OUT/payload.tar.xz" | cut -d' ' -f1)"
  for p in "$OUT"/parts/part-*; do
    echo "part $(basename "$p") $(stat -c %s "$p") $(sha256sum "$p" | cut -d' ' -f1)"
  done
} > "$OUT/parts/MANIFEST"
rm -rf "$STAGE"
cat "$OUT/parts/MANIFEST" >&2
log "$(grep -c '^part' "$OUT/parts/MANIFEST") parts of <= $PART_MIB MiB in $OUT/parts"
