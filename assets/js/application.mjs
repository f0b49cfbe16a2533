// Starts the GOV.UK Frontend components on every page. Kept in a file, not inline, so the
// Content-Security-Policy can refuse every inline script.
import { initAll } from "./govuk-frontend.min.js";

initAll();
