// Optional real-client check (not part of the Maven suite): the official OpenAI Node SDK against a
// running `vitrail serve` with API key sk-one. Exits 1 on any mismatch. Run by openai-check.sh.
const OpenAI = require('openai');
const fs = require('fs');
const [port, image] = process.argv.slice(2);
const img = 'data:image/png;base64,' + fs.readFileSync(image).toString('base64');
const baseURL = `http://127.0.0.1:${port}/v1`;
const client = new OpenAI({ apiKey: 'sk-one', baseURL, maxRetries: 0 });
function check(ok, what) {
  console.log((ok ? 'ok   ' : 'FAIL ') + what);
  if (!ok) process.exitCode = 1;
}
(async () => {
  // The SDK's default encoding_format is base64, which it decodes itself; extra fields pass through.
  const b = await client.embeddings.create({ model: 'clip-tiny', input: [img], pooled: true });
  const f = await client.embeddings.create({
    model: 'clip-tiny', input: [img], pooled: true, encoding_format: 'float' });
  const x = b.data[0].embedding, y = f.data[0].embedding;
  let worst = 0;
  for (let i = 0; i < y.length; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]));
  check(x.length === y.length && worst < 1e-6, `default base64 = float (${x.length} values, max diff ${worst})`);
  const d = await client.embeddings.create({ model: 'clip-tiny', input: [img], dimensions: 8 });
  const v = d.data[0].embedding;
  check(v.length === 8 && Math.abs(Math.hypot(...v) - 1) < 1e-5, 'dimensions=8 is a unit vector of 8');
  try {
    await new OpenAI({ apiKey: 'sk-wrong', baseURL, maxRetries: 0 }).embeddings.create({
      model: 'clip-tiny', input: [img] });
    check(false, 'a wrong key is refused');
  } catch (e) {
    check(e.status === 401, `a wrong key is refused (${e.status})`);
  }
  try {
    await client.embeddings.create({ model: 'clip-tiny', input: ['a photo of a cat'] });
    check(false, 'text is refused');
  } catch (e) {
    check(e.status === 400 && /images only/.test(e.error.message), `text is refused (${e.status})`);
  }
})().catch((e) => {
  console.error('FAIL', e);
  process.exit(1);
});
