// Builds the front-end assets into static_build/: our stylesheet compiled with GOV.UK Frontend
// from node_modules, and GOV.UK Frontend's script. Nothing built here is committed.
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const source = join(root, "src", "withpeople", "core", "static_src");
const out = join(root, "static_build", "withpeople");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");
mkdirSync(out, { recursive: true });

const result = sass.compile(join(source, "withpeople.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  quietDeps: true,
});
writeFileSync(join(out, "withpeople.css"), result.css);
copyFileSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
for (const file of ["init.js", "js-enabled.js", "favicon.svg"]) {
  copyFileSync(join(source, file), join(out, file));
}
console.log("Built front-end assets in static_build/");
