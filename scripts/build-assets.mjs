// Builds the front-end assets into static_build/: our stylesheet compiled with GOV.UK Frontend
// from node_modules, GOV.UK Frontend's script, and every GOV.UK Frontend asset (image or font)
// the stylesheet refers to. Nothing built here is committed.
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const source = join(root, "src", "withpeople", "core", "static_src");
const staticBuild = join(root, "static_build");
const out = join(staticBuild, "withpeople");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");
// Must match $govuk-assets-path in withpeople.scss and Django's STATIC_URL.
const govukAssetsUrl = "/static/govuk/";
mkdirSync(out, { recursive: true });

const result = sass.compile(join(source, "withpeople.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  quietDeps: true,
});
writeFileSync(join(out, "withpeople.css"), result.css);
copyFileSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
for (const file of ["init.js", "js-enabled.js", "passkeys.js", "favicon.svg"]) {
  copyFileSync(join(source, file), join(out, file));
}

// The stylesheet refers to GOV.UK Frontend's assets by URL (for example the footer's crest).
// In production, collectstatic's manifest storage fails on any URL it cannot find, so copy
// each one the compiled CSS names, and stop here if one does not exist.
const referenced = new Set();
for (const match of result.css.matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/g)) {
  const url = match[1].split(/[?#]/)[0];
  if (url.startsWith(govukAssetsUrl)) referenced.add(url.slice(govukAssetsUrl.length));
}
for (const asset of referenced) {
  const from = normalize(join(govuk, "assets", asset));
  if (!from.startsWith(join(govuk, "assets") + sep) || !existsSync(from)) {
    throw new Error(`The stylesheet refers to ${govukAssetsUrl}${asset}, which GOV.UK Frontend does not have.`);
  }
  const to = join(staticBuild, "govuk", asset);
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
}
console.log(`Built front-end assets in static_build/ (${referenced.size} GOV.UK Frontend assets).`);
