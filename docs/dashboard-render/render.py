# Draws docs/dashboard.png from scrapes of the demo's /metrics (files named <epoch-ms>.txt in
# /tmp/obsdemo/scrapes, taken every 2 s while load.py ran against ./demo on Redis):
#   python3 render.py && chromium --headless --window-size=1790,1010 --screenshot=dashboard.png dashboard.html
# Panel for panel the queries of docs/grafana-dashboard.json, computed from the same counters.
import os, re, glob, html
files = sorted(glob.glob('/tmp/obsdemo/scrapes/*.txt'))
line_re = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})?\s+([-+0-9.eEaNInf]+)')
def parse(path):
    out = {}
    for l in open(path):
        m = line_re.match(l)
        if not m: continue
        name, labels, val = m.group(1), m.group(3) or '', m.group(4)
        lab = tuple(sorted(re.findall(r'(\w+)="([^"]*)"', labels)))
        try: out[(name, lab)] = float(val)
        except: pass
    return out
snaps = [(int(os.path.basename(f)[:-4]) / 1000.0, parse(f)) for f in files]
snaps = [s for s in snaps if s[1]]
t0 = snaps[0][0]
def series(name, filt=None, key=None):
    keys = set()
    for _, d in snaps:
        for (n, lab) in d:
            if n == name and (filt is None or filt(dict(lab))): keys.add(lab)
    res = {}
    for lab in sorted(keys):
        res[key(dict(lab)) if key else str(dict(lab))] = [(t - t0, d.get((name, lab))) for t, d in snaps]
    return res
def rate(ser):
    out = {}
    for k, pts in ser.items():
        r = []
        for (ta, va), (tb, vb) in zip(pts, pts[1:]):
            if va is None or vb is None: continue
            r.append((tb, max(0.0, (vb - va) / (tb - ta))))
        out[k] = r
    return out
def summed(d):  # sum several series point-wise
    return d
COLORS = ['#73bf69', '#f2cc0c', '#5794f2', '#ff780a', '#b877d9', '#f2495c', '#8ab8ff', '#fade2a']
def panel(title, data, unit='', w=556, h=230, latest=None):
    xs = [t for pts in data.values() for t, v in pts if v is not None]
    ys = [v for pts in data.values() for t, v in pts if v is not None]
    if not xs:
        return f'<div class="panel" style="width:{w}px"><div class="title">{html.escape(title)}</div><div class="nodata">No data</div></div>'
    xmax = max(xs) or 1; ymax = max(ys) if ys else 1
    ymax = ymax * 1.15 if ymax > 0 else 1
    pw, ph, left, top = w - 70, h - 70, 50, 10
    svg = [f'<svg width="{w-20}" height="{h-30}">']
    for i in range(5):
        y = top + ph - ph * i / 4
        svg.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left+pw}" y2="{y:.1f}" class="grid"/>')
        v = ymax * i / 4
        svg.append(f'<text x="{left-6}" y="{y+4:.1f}" class="axis" text-anchor="end">{v:.1f}{unit}</text>')
    for s in range(0, int(xmax) + 1, 20):
        x = left + pw * s / xmax
        svg.append(f'<text x="{x:.1f}" y="{top+ph+16}" class="axis" text-anchor="middle">+{s}s</text>')
    legend = []
    for i, (k, pts) in enumerate(data.items()):
        c = COLORS[i % len(COLORS)]
        p = [(left + pw * t / xmax, top + ph - ph * v / ymax) for t, v in pts if v is not None]
        if len(p) >= 2:
            d = 'M' + ' L'.join(f'{x:.1f},{y:.1f}' for x, y in p)
            svg.append(f'<path d="{d} L{p[-1][0]:.1f},{top+ph} L{p[0][0]:.1f},{top+ph} Z" fill="{c}" fill-opacity="0.12"/>')
            svg.append(f'<path d="{d}" stroke="{c}" stroke-width="2" fill="none"/>')
        last = [v for t, v in pts if v is not None]
        legend.append(f'<span><i style="background:{c}"></i>{html.escape(k)} max <b>{(max(last) if last else 0):.1f}{unit}</b></span>')
    svg.append('</svg>')
    return f'<div class="panel" style="width:{w}px"><div class="title">{html.escape(title)}</div>{"".join(svg)}<div class="legend">{"".join(legend)}</div></div>'
def stat(title, value, unit='', color='#73bf69'):
    return f'<div class="panel stat"><div class="title">{html.escape(title)}</div><div class="big" style="color:{color}">{value}{unit}</div></div>'
last = snaps[-2][1] if len(snaps) > 1 else snaps[-1][1]
peak_live = max(d.get(('sessionkit_sessions_live', ()), 0) for _, d in snaps)
peak_users = max(d.get(('sessionkit_users_signed_in', ()), 0) for _, d in snaps)
tot = lambda n, lab=(): snaps[-1][1].get((n, lab), 0)
logins = tot('sessionkit_logins_total', (('result', 'accepted'),))
evicted = tot('sessionkit_logins_evicted_total')
# latency: mean per operation per interval = d(sum)/d(count)
def latency(op_names):
    out = {}
    for op in op_names:
        pts = []
        for (ta, da), (tb, db) in zip(snaps, snaps[1:]):
            cs = cb = ss = sb = 0
            for (n, lab), v in db.items():
                dl = dict(lab)
                if dl.get('operation') != op: continue
                if n == 'sessionkit_store_operations_seconds_count': cb += v; cs += da.get((n, lab), 0)
                if n == 'sessionkit_store_operations_seconds_sum': sb += v; ss += da.get((n, lab), 0)
            if cb - cs > 0: pts.append((tb - t0, 1000 * (sb - ss) / (cb - cs)))
        out[op] = pts
    return out
panels = []
panels.append(stat('Signed-in users, peak (cluster)', int(tot('sessionkit_users_signed_in')) if False else int(peak_users), '', '#5794f2'))
panels.append(stat('Live sessions, peak (cluster)', int(peak_live), '', '#73bf69'))
panels.append(stat('Logins accepted', int(logins), '', '#73bf69'))
panels.append(stat('Kick-outs', int(evicted), '', '#ff780a'))
panels.append(stat('Near-cache subscription', 'n/a', '', '#8e8e8e'))
row1 = ''.join(panels)
g = {}
g.update(series('sessionkit_sessions_live', key=lambda l: 'live sessions'))
g.update(series('sessionkit_users_signed_in', key=lambda l: 'signed-in users'))
p1 = panel('Cluster-wide: live sessions and signed-in users', g)
p2 = panel('Logins / s by result, kick-outs / s', {**rate(series('sessionkit_logins_total', key=lambda l: 'logins ' + l['result'])), **rate(series('sessionkit_logins_evicted_total', key=lambda l: 'evicted'))}, '/s')
p3 = panel('Sessions ended / s by reason', {k: v for k, v in rate(series('sessionkit_sessions_ended_total', key=lambda l: l['reason'])).items() if any(x for _, x in v)}, '/s')
p4 = panel('Store operations: mean latency (ms) by operation', latency(['access', 'login', 'delete', 'check', 'listForUser']), 'ms')
ops = {}
for k, v in rate(series('sessionkit_store_operations_seconds_count', key=lambda l: l['operation'] + ' ' + l['outcome'])).items():
    if any(x for _, x in v): ops[k] = v
p5 = panel('Store operations / s by operation and outcome', dict(list(ops.items())[:8]), '/s')
p6 = panel('Token checks / s by result, revocations / s', {**{k: v for k, v in rate(series('sessionkit_tokens_checks_total', key=lambda l: 'check ' + l['result'])).items() if any(x for _, x in v)}, **{k: v for k, v in rate(series('sessionkit_revocations_total', key=lambda l: 'revoked ' + l['kind'])).items() if any(x for _, x in v)}}, '/s')
p7 = panel('Malformed session ids / s by source', rate(series('sessionkit_ids_invalid_total', key=lambda l: l['source'])), '/s')
p8 = panel('Near cache: hit ratio, size', {}, '')
css = '''body{background:#111217;color:#ccccdc;font-family:Inter,Helvetica,Arial,sans-serif;margin:0;padding:14px;width:1762px}
h1{font-size:18px;font-weight:500;margin:4px 6px 12px}h1 small{color:#8e8e8e;font-size:12px;margin-left:12px}
.row{display:flex;flex-wrap:wrap;gap:10px;margin-bottom:10px}.panel{background:#181b1f;border:1px solid #2c3235;border-radius:3px;padding:8px 10px}
.title{font-size:13px;font-weight:500;margin-bottom:4px}.stat{width:321px;height:96px}.big{font-size:42px;font-weight:500;margin-top:6px}
.grid{stroke:#2c3235;stroke-width:1}.axis{fill:#8e8e8e;font-size:10px}.legend{font-size:11px;display:flex;flex-wrap:wrap;gap:10px}
.legend i{display:inline-block;width:12px;height:3px;margin-right:4px;vertical-align:middle}.legend b{color:#fff;font-weight:500}
.nodata{color:#8e8e8e;height:170px;display:flex;align-items:center;justify-content:center;font-size:13px}'''
secs = int(snaps[-1][0] - t0)
doc = f'''<!doctype html><html><head><meta charset="utf-8"><style>{css}</style></head><body>
<h1>SessionKit <small>the demo on Redis (two nodes, Jetty + Tomcat), 12 simulated users for {secs} s; {len(snaps)} scrapes of /metrics every 2 s; drawn from those scrapes, panel for panel as docs/grafana-dashboard.json</small></h1>
<div class="row">{row1}</div><div class="row">{p1}{p2}{p3}</div><div class="row">{p4}{p5}{p6}</div><div class="row">{p7}{p8}</div></body></html>'''
open('/tmp/obsdemo/dashboard.html', 'w').write(doc)
print('ok', len(snaps), secs)
