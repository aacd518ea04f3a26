/**
 * A 3×5 pixel bitmap font: digits, capital letters and the punctuation plot labels use. Text is
 * upper-cased before drawing. Each glyph is five rows of three pixels, top row first ('#' = ink).
 */
const GLYPHS: Record<string, string> = {
  '0': '### #.# #.# #.# ###',
  '1': '.#. ##. .#. .#. ###',
  '2': '### ..# ### #.. ###',
  '3': '### ..# ### ..# ###',
  '4': '#.# #.# ### ..# ..#',
  '5': '### #.. ### ..# ###',
  '6': '### #.. ### #.# ###',
  '7': '### ..# ..# .#. .#.',
  '8': '### #.# ### #.# ###',
  '9': '### #.# ### ..# ###',
  A: '.#. #.# ### #.# #.#',
  B: '##. #.# ##. #.# ##.',
  C: '.## #.. #.. #.. .##',
  D: '##. #.# #.# #.# ##.',
  E: '### #.. ##. #.. ###',
  F: '### #.. ##. #.. #..',
  G: '.## #.. #.# #.# .##',
  H: '#.# #.# ### #.# #.#',
  I: '### .#. .#. .#. ###',
  J: '..# ..# ..# #.# .#.',
  K: '#.# #.# ##. #.# #.#',
  L: '#.. #.. #.. #.. ###',
  M: '#.# ### ### #.# #.#',
  N: '##. #.# #.# #.# #.#',
  O: '.#. #.# #.# #.# .#.',
  P: '##. #.# ##. #.. #..',
  Q: '.#. #.# #.# ##. .##',
  R: '##. #.# ##. #.# #.#',
  S: '.## #.. .#. ..# ##.',
  T: '### .#. .#. .#. .#.',
  U: '#.# #.# #.# #.# ###',
  V: '#.# #.# #.# #.# .#.',
  W: '#.# #.# ### ### #.#',
  X: '#.# #.# .#. #.# #.#',
  Y: '#.# #.# .#. .#. .#.',
  Z: '### ..# .#. #.. ###',
  '.': '... ... ... ... .#.',
  ',': '... ... ... .#. #..',
  '-': '... ... ### ... ...',
  _: '... ... ... ... ###',
  '(': '.#. #.. #.. #.. .#.',
  ')': '.#. ..# ..# ..# .#.',
  '?': '### ..# .#. ... .#.',
  ' ': '... ... ... ... ...',
};

export const GLYPH_WIDTH = 3;
export const GLYPH_HEIGHT = 5;

/** Ink pixels of a character as [x, y] offsets; unknown characters draw as '?'. */
export function glyphPixels(char: string): Array<[number, number]> {
  const rows = (GLYPHS[char.toUpperCase()] ?? GLYPHS['?']!).split(' ');
  const pixels: Array<[number, number]> = [];
  rows.forEach((row, y) => {
    for (let x = 0; x < row.length; x++) if (row[x] === '#') pixels.push([x, y]);
  });
  return pixels;
}
