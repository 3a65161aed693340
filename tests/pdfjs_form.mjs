// Mozilla pdf.js (pdfjs-dist) on the referral form, for tests/test_form_readers.py.
// node tests/pdfjs_form.mjs FORM.pdf ANSWERS.json SAVED.pdf
// Lists every widget as pdf.js sees it (type, tooltip, option, accessible name from the structure tree),
// fills the form through pdf.js's own annotation storage (as its viewer does when someone types or
// clicks), saves it with saveDocument(), re-opens the saved file and prints it all as JSON.
import { readFileSync, writeFileSync } from "node:fs";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

const [formPath, answersPath, savedPath] = process.argv.slice(2);
const answers = JSON.parse(readFileSync(answersPath, "utf-8"));

async function open(path) {
  return getDocument({ data: new Uint8Array(readFileSync(path)), verbosity: 0 }).promise;
}

function formNames(node, found) {
  // The accessible name pdf.js's viewer gives a widget: the /Alt of the /Form element that holds it.
  for (const child of node.children || []) {
    if (child.type === "annotation" && node.role === "Form") {
      found[child.id.replace("pdfjs_internal_id_", "")] = node.alt || "";
    }
    formNames(child, found);
  }
  return found;
}

async function widgets(doc) {
  const all = [];
  for (let number = 1; number <= doc.numPages; number++) {
    const page = await doc.getPage(number);
    const names = formNames((await page.getStructTree()) || {}, {});
    for (const a of await page.getAnnotations()) {
      if (a.subtype !== "Widget") continue;
      all.push({
        id: a.id,
        page: number,
        name: a.fieldName,
        type: a.radioButton ? "radio" : a.checkBox ? "checkbox" : a.fieldType === "Tx" ? "text" : a.fieldType,
        multiline: !!a.multiLine,
        tooltip: a.alternativeText,
        option: a.radioButton ? a.buttonValue : a.checkBox ? a.exportValue : null,
        structName: names[a.id] ?? null,
        hasAppearance: a.hasAppearance,
      });
    }
  }
  return all;
}

const doc = await open(formPath);
const before = await widgets(doc);
for (const w of before) {
  const wanted = answers[w.name];
  if (wanted === undefined) continue;
  if (w.type === "text") doc.annotationStorage.setValue(w.id, { value: wanted });
  else if (w.type === "checkbox") doc.annotationStorage.setValue(w.id, { value: wanted === true });
  else if (w.type === "radio") doc.annotationStorage.setValue(w.id, { value: w.option === wanted });
}
writeFileSync(savedPath, await doc.saveDocument());
await doc.destroy();

const saved = await open(savedPath);
const values = {};
for (const [name, objects] of Object.entries((await saved.getFieldObjects()) || {})) {
  values[name] = objects.map((o) => ({ type: o.type, value: o.value, exportValues: o.exportValues ?? null }));
}
const after = await widgets(saved);
await saved.destroy();
process.stdout.write(JSON.stringify({ before, after, values }));
