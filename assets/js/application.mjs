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

// Organisation pickers: the <select> still works alone; with JavaScript it becomes the GOV.UK
// accessible autocomplete, offering its options in their order (the case's Compact's first).
const pickers = document.querySelectorAll('select[data-module="app-autocomplete"]');
if (pickers.length) {
  const styles = document.createElement("link");
  styles.rel = "stylesheet";
  styles.href = new URL("./accessible-autocomplete.min.css", import.meta.url).href;
  document.head.append(styles);
  import("./accessible-autocomplete.min.js").then(() => {
    for (const select of pickers) {
      // The "Select a ..." option is a prompt, not a choice to offer while typing.
      const isPrompt = (option) => option.value === "" || option.value === "0";
      const options = [...select.options];
      const chosen = select.options[select.selectedIndex];
      window.accessibleAutocomplete.enhanceSelectElement({
        selectElement: select,
        source: options.filter((option) => !isPrompt(option)).map((option) => option.text),
        defaultValue: chosen && !isPrompt(chosen) ? chosen.text : "",
        showAllValues: true,
        placeholder: "Start typing a name",
      });
    }
  });
}
