/** A self-contained API browser (no CDN): it fetches the OpenAPI document and lists every operation with its schemas. */
export const docsPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Tessera API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px/1.5 system-ui,sans-serif;margin:0;color:#1d2733;background:#f6f8fa}
header{background:#1d2733;color:#fff;padding:16px 24px}header h1{margin:0;font-size:20px}
main{max-width:1100px;margin:0 auto;padding:16px 24px}
.op{background:#fff;border:1px solid #d8dee4;border-radius:6px;margin:8px 0}
.op summary{cursor:pointer;padding:8px 12px;display:flex;gap:12px;align-items:center}
.m{font-weight:700;width:64px;text-align:center;border-radius:4px;color:#fff;padding:1px 0;font-size:12px}
.GET{background:#1f6feb}.POST{background:#2da44e}.PUT{background:#bf8700}.DELETE{background:#cf222e}.PATCH{background:#8250df}
code,pre{font:12px/1.4 ui-monospace,monospace}pre{background:#f6f8fa;padding:8px;overflow:auto;border-radius:4px;margin:4px 0}
.body{padding:0 12px 12px}h2{margin-top:24px;font-size:16px;text-transform:capitalize}.roles{color:#57606a;font-size:12px}
input{font:14px system-ui;padding:6px;width:320px}
</style></head><body>
<header><h1>Tessera control plane API</h1><div id="info"></div></header>
<main><p><input id="filter" placeholder="filter by path or summary"> <a href="/api/v1/openapi.json">openapi.json</a></p><div id="ops">Loading...</div></main>
<script>
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]));
fetch('/api/v1/openapi.json').then((r) => r.json()).then((doc) => {
  document.getElementById('info').textContent = doc.info.title + ' ' + doc.info.version + ' (OpenAPI ' + doc.openapi + ')';
  const groups = {};
  for (const [path, ops] of Object.entries(doc.paths)) for (const [m, op] of Object.entries(ops)) (groups[op.tags[0]] ||= []).push({ path, m: m.toUpperCase(), op });
  const render = (q) => {
    let html = '';
    for (const [tag, ops] of Object.entries(groups)) {
      const shown = ops.filter((o) => !q || (o.path + ' ' + o.op.summary).toLowerCase().includes(q));
      if (!shown.length) continue;
      html += '<h2>' + esc(tag) + '</h2>';
      for (const o of shown) {
        const params = (o.op.parameters || []).map((p) => '<li><code>' + esc(p.name) + '</code> (' + p.in + (p.required ? ', required' : '') + ')</li>').join('');
        const body = o.op.requestBody ? '<div>Request body</div><pre>' + esc(JSON.stringify(o.op.requestBody.content['application/json'].schema, null, 2)) + '</pre>' : '';
        const resp = Object.entries(o.op.responses).map(([s, r]) => '<div>' + s + ' ' + esc(r.description) + '</div>' + (r.content ? '<pre>' + esc(JSON.stringify(Object.values(r.content)[0].schema, null, 2)) + '</pre>' : '')).join('');
        html += '<details class="op"><summary><span class="m ' + o.m + '">' + o.m + '</span><code>' + esc(o.path) + '</code><span>' + esc(o.op.summary) + '</span></summary><div class="body">' +
          (o.op.description ? '<div class="roles">' + esc(o.op.description) + '</div>' : '') + (params ? '<div>Parameters</div><ul>' + params + '</ul>' : '') + body + resp + '</div></details>';
      }
    }
    document.getElementById('ops').innerHTML = html || 'No operation matches.';
  };
  render('');
  document.getElementById('filter').addEventListener('input', (e) => render(e.target.value.toLowerCase()));
});
</script></body></html>`;
