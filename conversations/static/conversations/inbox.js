// The back office inbox: polls its JSON endpoint, redraws the rows, and when a new handoff arrives puts the
// count in the tab's title ("(2) Bandeja | …") and plays a short chime (WebAudio, no sound files).
(function () {
  "use strict";

  var table = document.getElementById("inbox");
  if (!table) return;
  var body = table.querySelector("tbody");
  var baseTitle = document.title.replace(/^\(\d+\)\s*/, "");
  var pollMs = Math.max(parseInt(table.dataset.pollMs, 10) || 5000, 1000);
  var canTake = table.dataset.canTake === "1";
  var known = new Set(Array.prototype.map.call(body.rows, function (row) { return row.dataset.id; }));
  var audio = null;
  var drawn = "";

  function csrfToken() {
    var input = document.querySelector("#inbox-csrf input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function cell(row, className, main, small) {
    var td = row.insertCell();
    td.className = className;
    if (main instanceof Node) td.appendChild(main); else td.textContent = main;
    if (small) {
      td.appendChild(document.createElement("br"));
      var note = document.createElement("small");
      note.textContent = small;
      td.appendChild(note);
    }
    return td;
  }

  function takeForm(item) {
    var form = document.createElement("form");
    form.method = "post";
    form.action = item.take_url;
    var token = document.createElement("input");
    token.type = "hidden";
    token.name = "csrfmiddlewaretoken";
    token.value = csrfToken();
    var button = document.createElement("button");
    button.type = "submit";
    button.className = "button";
    button.textContent = "Tomar";
    form.append(token, button);
    return form;
  }

  function draw(items) {
    body.replaceChildren();
    items.forEach(function (item) {
      var row = body.insertRow();
      row.dataset.id = item.id;
      var link = document.createElement("a");
      link.href = item.url;
      link.textContent = item.customer;
      cell(row, "inbox-customer", link, item.contact);
      cell(row, "inbox-channel", item.channel, item.assistant);
      cell(row, "inbox-waiting", item.waiting);
      cell(row, "inbox-preview", item.preview || "—");
      cell(row, "inbox-assignee", item.assignee || "Sin asignar");
      cell(row, "inbox-response", item.response);
      var actions = cell(row, "inbox-actions", "");
      if (canTake && !item.mine) actions.appendChild(takeForm(item));
    });
    document.getElementById("inbox-empty").hidden = items.length > 0;
    document.getElementById("inbox-count").textContent =
      items.length === 1 ? "1 conversación espera" : items.length + " conversaciones esperan";
    document.title = (items.length ? "(" + items.length + ") " : "") + baseTitle;
  }

  function chime() {
    // Browsers may keep audio off until the person clicks the page; the title badge still tells them.
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      if (audio.state === "suspended") audio.resume();
      var now = audio.currentTime;
      [880, 1320].forEach(function (frequency, index) {
        var tone = audio.createOscillator();
        var gain = audio.createGain();
        tone.frequency.value = frequency;
        gain.gain.setValueAtTime(0.0001, now + index * 0.15);
        gain.gain.exponentialRampToValueAtTime(0.2, now + index * 0.15 + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, now + index * 0.15 + 0.14);
        tone.connect(gain).connect(audio.destination);
        tone.start(now + index * 0.15);
        tone.stop(now + index * 0.15 + 0.15);
      });
    } catch (error) {
      // No WebAudio here: the title badge is the notice.
    }
    table.dataset.chimes = String((parseInt(table.dataset.chimes, 10) || 0) + 1);
  }

  function poll() {
    fetch(table.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("inbox " + response.status);
        return response.json();
      })
      .then(function (data) {
        var arrived = data.conversations.some(function (item) { return !known.has(item.id); });
        known = new Set(data.conversations.map(function (item) { return item.id; }));
        var json = JSON.stringify(data.conversations);
        if (json !== drawn) draw(data.conversations);  // an unchanged list keeps its rows (and a click on them)
        drawn = json;
        if (arrived) chime();
      })
      .catch(function () { /* the next poll tries again */ })
      .finally(function () { window.setTimeout(poll, pollMs); });
  }

  document.addEventListener("click", function () {
    if (audio && audio.state === "suspended") audio.resume();
  });
  window.setTimeout(poll, pollMs);
})();
