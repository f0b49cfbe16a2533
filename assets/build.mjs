// Builds the static folder served by Flask: compiled CSS, our script, the GOV.UK and MOJ scripts,
// fonts and images copied from node_modules. The output folder is git-ignored.
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "compactcases", "static");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");
const moj = join(root, "node_modules", "@ministryofjustice", "frontend", "moj");

mkdirSync(out, { recursive: true });
// Both packages' images share one assets folder, the path the Sass settings point at.
cpSync(join(govuk, "assets"), join(out, "assets"), { recursive: true });
cpSync(join(moj, "assets"), join(out, "assets"), { recursive: true });
// Our own icon over GOV.UK's crown: this is not a GOV.UK service.
cpSync(join(root, "assets", "images"), join(out, "assets", "images"), { recursive: true });
cpSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
cpSync(join(moj, "moj-frontend.min.js"), join(out, "moj-frontend.min.js"));
// The GOV.UK accessible autocomplete that organisation pickers are enhanced with; our script
// loads both files only on pages that have a picker.
const autocomplete = join(root, "node_modules", "accessible-autocomplete", "dist");
for (const name of ["accessible-autocomplete.min.js", "accessible-autocomplete.min.css"]) {
  cpSync(join(autocomplete, name), join(out, name));
}
// Our own script: a file beside the ones it imports, since the CSP allows no inline script.
cpSync(join(root, "assets", "js", "application.mjs"), join(out, "application.js"));

const result = sass.compile(join(root, "assets", "scss", "application.scss"), {
  loadPaths: [root],
  style: "compressed",
  quietDeps: true,
  // The packages warn about their own use of deprecated mixins; nothing for us to act on.
  logger: sass.Logger.silent,
});
writeFileSync(join(out, "application.css"), result.css);
console.log(`assets built in ${out}`);
