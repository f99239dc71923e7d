import { initAll } from "./govuk/govuk-frontend.min.js";
initAll();

// Session timeout warning (GOV.UK "timeout warning" pattern): two minutes before the
// idle session ends, a modal offers to stay signed in. Nothing typed is lost either way:
// long forms keep a draft in this browser (below) restored after signing in again.
const WARN_BEFORE = 120;
const dialog = document.getElementById("cf-timeout");
if (dialog) {
  const idle = Number(dialog.dataset.idleSeconds);
  let warnTimer, endTimer;
  const schedule = () => {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    warnTimer = setTimeout(() => {
      dialog.showModal();
      dialog.querySelector("button").focus();
    }, Math.max(idle - WARN_BEFORE, 5) * 1000);
    endTimer = setTimeout(() => {
      const next = encodeURIComponent(location.pathname + location.search);
      location.href = `${dialog.dataset.loginUrl}?next=${next}`;
    }, idle * 1000);
  };
  dialog.querySelector("button").addEventListener("click", async () => {
    await fetch(dialog.dataset.keepAliveUrl, { credentials: "same-origin" });
    dialog.close();
    schedule();
  });
  dialog.addEventListener("cancel", (event) => event.preventDefault());
  schedule();
}

// Drafts for long forms (assessment, visit): saved on every change in localStorage,
// keyed by user and form, restored when the form is opened again, cleared on submit
// and on signing out.
for (const form of document.querySelectorAll("form[data-draft-key]")) {
  const key = `caseflow-draft:${form.dataset.draftKey}`;
  const skip = new Set(["csrfmiddlewaretoken", "form_token", "version"]);
  const fields = () => [...form.elements].filter((el) => el.name && !skip.has(el.name));
  const save = () => {
    const data = {};
    for (const el of fields()) {
      if (el.type === "checkbox" || el.type === "radio") {
        data[`${el.name}=${el.value}`] = el.checked;
      } else {
        data[el.name] = el.value;
      }
    }
    localStorage.setItem(key, JSON.stringify(data));
  };
  const saved = localStorage.getItem(key);
  const hasErrors = document.querySelector(".govuk-error-summary");
  if (saved && !hasErrors) {
    const data = JSON.parse(saved);
    for (const el of fields()) {
      if (el.type === "checkbox" || el.type === "radio") {
        const k = `${el.name}=${el.value}`;
        if (k in data) el.checked = data[k];
      } else if (el.name in data) {
        el.value = data[el.name];
      }
    }
    const note = document.getElementById("cf-draft-restored");
    if (note) note.hidden = false;
  }
  form.addEventListener("input", save);
  form.addEventListener("change", save);
  form.addEventListener("submit", () => localStorage.removeItem(key));
}

// Signing out on purpose clears every draft kept in this browser, so a shared computer
// keeps no case notes. A timeout does not: the draft waits for the user to sign in again.
for (const form of document.querySelectorAll("form[data-clears-drafts]")) {
  form.addEventListener("submit", () => {
    for (const key of Object.keys(localStorage)) {
      if (key.startsWith("caseflow-draft:")) localStorage.removeItem(key);
    }
  });
}
