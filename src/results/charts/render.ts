/**
 * Charts are Apache ECharts options rendered on the server: ECharts' SSR mode draws them to an SVG
 * string (no DOM, no canvas), and resvg turns that SVG into a PNG. PNG text uses a bundled font (Inter,
 * SIL Open Font License, from @expo-google-fonts/inter) so images look the same on every host, fonts
 * installed or not; in the HTML report the browser draws the SVG's text with its own sans-serif.
 */
import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';
import * as echarts from 'echarts';

const require = createRequire(import.meta.url);
const FONT_FILES = ['400Regular/Inter_400Regular.ttf', '700Bold/Inter_700Bold.ttf'].map((file) =>
  require.resolve(`@expo-google-fonts/inter/${file}`),
);
export const FONT_FAMILY = 'Inter, system-ui, sans-serif';

export interface ChartSize {
  width: number;
  height: number;
}

/** One chart as an SVG document. Animation is off: SSR would otherwise emit CSS animations. */
export function renderSvg(option: echarts.EChartsCoreOption, { width, height }: ChartSize): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      textStyle: { fontFamily: FONT_FAMILY },
      ...option,
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** An SVG drawn to PNG with the bundled font only (system fonts would make images host-dependent). */
export function svgToPng(svg: string): Buffer {
  const resvg = new Resvg(svg, {
    background: '#ffffff',
    font: {
      fontFiles: FONT_FILES,
      loadSystemFonts: false,
      defaultFontFamily: 'Inter',
      sansSerifFamily: 'Inter',
    },
  });
  return resvg.render().asPng();
}
