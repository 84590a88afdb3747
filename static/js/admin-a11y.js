// Accessibility repairs of Django admin widgets that Django builds in script (loaded by the
// ModelAdmins that use them; see schemes/admin.py). Each repair keeps what the widget does.
//
// - The «choose many» widget (filter_horizontal, SelectFilter2.js) puts the search hint as
//   aria-label on a bare <span> icon, which ARIA does not allow (axe: aria-prohibited-attr). Giving
//   the icon role="img" makes the label a valid name of an image inside the field's label.
// - The autocomplete widget (autocomplete_fields, Select2) shows a role="combobox" that its <label>
//   does not name (axe: aria-input-field-name): it is named by the field's label and what it shows.
(function () {
  "use strict";

  function repair() {
    document.querySelectorAll(".search-label-icon[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var label = select.id && document.querySelector('label[for="' + select.id + '"]');
      var box = select.parentNode.querySelector(".select2-selection[role=combobox]");
      if (!label || !box) return;
      if (!label.id) label.id = select.id + "_label";
      var shown = box.querySelector(".select2-selection__rendered");
      box.setAttribute("aria-labelledby", label.id + (shown && shown.id ? " " + shown.id : ""));
      if (shown) shown.setAttribute("aria-labelledby", label.id); // its role="textbox" needs a name too
    });
  }

  // SelectFilter2 builds its widgets on window load; repair after it (and after any later one).
  window.addEventListener("load", function () {
    window.setTimeout(repair, 0);
  });
  document.addEventListener("formset:added", function () {
    window.setTimeout(repair, 0);
  });
})();
