// Starts the GOV.UK Frontend components on every page. Kept in a file, not inline, so the
// Content-Security-Policy can refuse every inline script.
import { initAll } from "./govuk-frontend.min.js";

initAll();

// Sections shown only for some answers to a radio question, like GOV.UK's conditional reveal
// but for a section that belongs to several answers:
// <div id="..." data-shown-when="kind=funding_end funding_reduction">. Without JavaScript
// every section shows, and the server reads only the chosen answer's fields.
for (const section of document.querySelectorAll("[data-shown-when]")) {
  const [name, values] = section.dataset.shownWhen.split("=");
  const wanted = values.split(" ");
  const radios = [...document.querySelectorAll(`input[type="radio"][name="${name}"]`)];
  const sync = () => {
    const chosen = radios.find((radio) => radio.checked);
    section.hidden = !chosen || !wanted.includes(chosen.value);
  };
  for (const radio of radios) {
    if (wanted.includes(radio.value)) {
      radio.setAttribute("aria-controls", section.id);
    }
    radio.addEventListener("change", sync);
  }
  sync();
}
