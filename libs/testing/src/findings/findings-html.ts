import { allIds } from './finding.js';
import { formatNumber, improvementRatio, verdict } from './format-result.js';
import type { FindingResult } from './run-findings.js';

const COLOURS = { flawed: '#c0392b', remediated: '#1e8449', 'put back': '#b9770e' } as const;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** Two horizontal bars on one scale: a reader sees at a glance how far apart the designs are. */
function barChart(result: FindingResult): string {
  const width = 520;
  const labelWidth = 100;
  const rowHeight = 34;
  const bars = [
    ...result.variants.map((variant) => ({
      label: variant.variant,
      kind: variant.variant,
      value: variant.value,
    })),
    ...result.flawsPutBack.map((putBack) => ({
      label: 'put back',
      kind: 'put back' as const,
      value: putBack.value,
    })),
  ];
  const max = Math.max(...bars.map((bar) => Math.abs(bar.value)), 1e-9);
  const rows = bars.map((bar, row) => {
    const barWidth = Math.max(2, ((width - labelWidth - 120) * Math.abs(bar.value)) / max);
    const y = row * rowHeight + 6;
    return [
      `<text x="0" y="${y + 17}" class="label">${bar.label}</text>`,
      `<rect x="${labelWidth}" y="${y}" width="${barWidth.toFixed(1)}" height="24" rx="3" fill="${COLOURS[bar.kind]}"/>`,
      `<text x="${labelWidth + barWidth + 8}" y="${y + 17}" class="value">${escapeHtml(formatNumber(bar.value))} ${escapeHtml(result.finding.metric.unit)}</text>`,
    ].join('');
  });
  const height = bars.length * rowHeight + 8;
  return `<svg viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(result.finding.metric.name)}">${rows.join('')}</svg>`;
}

function card(result: FindingResult): string {
  const status = verdict(result);
  const details = result.variants
    .filter((variant) => variant.details)
    .map(
      (variant) =>
        `<p class="details"><b>${variant.variant}</b>: ${Object.entries(variant.details ?? {})
          .map(
            ([key, value]) =>
              `${escapeHtml(key)} ${escapeHtml(typeof value === 'number' ? formatNumber(value) : String(value))}`,
          )
          .join(' · ')}</p>`,
    )
    .join('');
  const putBack = result.flawsPutBack
    .map(
      (flaw) =>
        `<p class="details"><b>put back</b> ${escapeHtml(flaw.flaw)}: ${escapeHtml(flaw.description)} · ${flaw.caught ? 'caught' : '<b>NOT CAUGHT</b>'}</p>`,
    )
    .join('');
  return `<section class="card ${status === 'proven' ? 'ok' : 'bad'}">
<h2><code>${escapeHtml(allIds(result.finding))}</code> ${escapeHtml(result.finding.title)}</h2>
<p class="meta">${escapeHtml(result.packagePath)} · ${escapeHtml(result.finding.metric.name)} (${result.finding.metric.better} is better) · ${result.finding.kind} · ratio <b>${improvementRatio(result)}</b> · <span class="verdict">${status}</span></p>
${result.finding.why ? `<p class="why">${escapeHtml(result.finding.why)}</p>` : ''}
${result.variants.length > 0 ? barChart(result) : ''}
${details}
<p class="details">seam: ${escapeHtml(result.finding.seam)}</p>
${putBack}
${result.error ? `<pre class="error">${escapeHtml(result.error)}</pre>` : ''}
</section>`;
}

export function renderFindingsHtml(
  results: FindingResult[],
  meta: { generatedAt: string; servers: string },
): string {
  const proven = results.filter((result) => result.proven).length;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>remedy — findings</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1c2833}
h1{margin-bottom:.2rem} .summary{color:#566573}
.card{border:1px solid #d5d8dc;border-left:6px solid #1e8449;border-radius:6px;padding:.6rem 1rem;margin:1rem 0}
.card.bad{border-left-color:#c0392b} h2{font-size:1.05rem;margin:.2rem 0}
.meta,.details,.why{color:#566573;margin:.2rem 0;font-size:.9rem} .verdict{font-weight:600}
svg .label{font-size:13px;fill:#1c2833} svg .value{font-size:13px;fill:#1c2833;font-weight:600}
pre.error{background:#fdedec;padding:.5rem;white-space:pre-wrap}
</style></head><body>
<h1>remedy — findings</h1>
<p class="summary">${proven} of ${results.length} findings proven · generated ${escapeHtml(meta.generatedAt)} · ${escapeHtml(meta.servers)}</p>
${results.map(card).join('\n')}
</body></html>
`;
}
