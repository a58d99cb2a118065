// The transcript's reply box: picking a saved reply writes its text in the reply, ready to edit and send.
(function () {
  "use strict";

  var picker = document.getElementById("canned-reply");
  if (!picker) return;
  picker.addEventListener("change", function () {
    var reply = document.getElementById(picker.dataset.target);
    if (!reply || !picker.value) return;
    reply.value = picker.value;
    reply.focus();
  });
})();
