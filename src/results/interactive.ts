/**
 * `pipetune results --interactive`: the report with the ECharts library and each chart's option
 * inlined, so the charts get tooltips and legend toggles in the browser while the file stays offline
 * (about 1.1 MB more). The server-drawn SVG stays in the page until the script replaces it.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { View } from './views/types.js';

const require = createRequire(import.meta.url);

/** `</script>` inside inline JSON or code would end the element early. */
const inline = (text: string) => text.replace(/<\/(script)/gi, '<\\/$1');

const INIT = `
document.addEventListener('DOMContentLoaded', () => {
  const options = JSON.parse(document.getElementById('pipetune-charts').textContent);
  for (const figure of document.querySelectorAll('figure[data-view]')) {
    const entry = options[figure.dataset.view];
    const svg = figure.querySelector('svg');
    if (!entry || !svg) continue;
    const host = document.createElement('div');
    host.className = 'chart';
    host.style.width = entry.size.width + 'px';
    host.style.height = entry.size.height + 'px';
    host.style.maxWidth = '100%';
    svg.replaceWith(host);
    echarts.init(host, null, { renderer: 'svg' }).setOption(
      Object.assign({ tooltip: { trigger: 'item' }, backgroundColor: '#ffffff' }, entry.option),
    );
  }
});`;

/** What goes into the report's <head>: the library, the options by view id, and the code that draws them. */
export function interactiveHead(views: ReadonlyArray<Pick<View, 'id' | 'option' | 'size'>>): string {
  const library = readFileSync(require.resolve('echarts/dist/echarts.min.js'), 'utf8');
  const options = Object.fromEntries(views.map((v) => [v.id, { option: v.option, size: v.size }]));
  return `<script>${inline(library)}</script>
<script type="application/json" id="pipetune-charts">${inline(JSON.stringify(options))}</script>
<script>${INIT}</script>`;
}
