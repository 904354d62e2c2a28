// Builds the web pages' assets directory (served by tributary-server under
// /assets/) from the pinned nhsuk-frontend package and Tributary's own files:
//
//   node web/build-assets.mjs OUT_DIR
//
// OUT_DIR gets nhsuk-frontend.min.css (its @font-face rules, which name
// fonts on assets.nhs.uk, removed: nothing is fetched from another site, and
// the design system's font stack falls back to Arial), nhsuk-frontend.min.js,
// images/, manifest.json, and web/src/*. Fails, naming the file, when the
// package is not installed (run `npm ci` in web/).
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = process.argv[2];
if (!out) {
  console.error('usage: node build-assets.mjs OUT_DIR');
  process.exit(2);
}
const dist = join(here, 'node_modules', 'nhsuk-frontend', 'dist', 'nhsuk');
function read(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    console.error(`${path}: cannot read (${e.code}); run "npm ci" in ${here}`);
    process.exit(1);
  }
}

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'images'), { recursive: true });

const css = read(join(dist, 'nhsuk-frontend.min.css'));
const withoutFonts = css.replace(/@font-face\{[^}]*\}/g, '');
if (/https?:\/\//.test(withoutFonts.replace(/http:\/\/www\.w3\.org\/2000\/svg/g, ''))) {
  console.error(`${join(dist, 'nhsuk-frontend.min.css')}: still names another site after removing @font-face`);
  process.exit(1);
}
// The source map names the original; ours is a changed copy, so none is shipped.
writeFileSync(join(out, 'nhsuk-frontend.min.css'),
  withoutFonts.replace(/\/\*# sourceMappingURL=[^*]*\*\//, ''));
writeFileSync(join(out, 'nhsuk-frontend.min.js'),
  read(join(dist, 'nhsuk-frontend.min.js')).replace(/\/\/# sourceMappingURL=\S*\s*$/, ''));
for (const file of readdirSync(join(dist, 'assets', 'images'))) {
  copyFileSync(join(dist, 'assets', 'images', file), join(out, 'images', file));
}
copyFileSync(join(dist, 'assets', 'manifest.json'), join(out, 'manifest.json'));
for (const file of readdirSync(join(here, 'src'))) {
  copyFileSync(join(here, 'src', file), join(out, file));
}
