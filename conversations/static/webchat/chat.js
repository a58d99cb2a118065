/* The web chat page: sends messages to the JSON endpoint and draws the assistant's answers.
 * No framework and no inline code (the page runs under a strict Content-Security-Policy).
 * Every piece of text from the server goes in with textContent, never as HTML. */
(() => {
  "use strict";

  const root = document.getElementById("webchat");
  if (!root) return;

  const config = root.dataset;
  const log = document.getElementById("webchat-log");
  const form = document.getElementById("webchat-form");
  const input = document.getElementById("webchat-input");
  const typing = document.getElementById("webchat-typing");
  const handoffNote = document.getElementById("webchat-handoff");
  const errorBox = document.getElementById("webchat-error");
  const quick = document.getElementById("webchat-quick");
  const closeButton = document.getElementById("webchat-close");
  const sendButton = form.querySelector(".chat__send");
  const counter = document.getElementById("webchat-count");
  const maxChars = Number(config.maxChars) || 1600;
  const COUNT_FROM = 0.9; // the counter shows from 90 % of the limit on
  const storageKey = `kvky-webchat:${config.assistant}`;
  const POLL_MS = 5000;
  const FALLBACK_ERROR = "No pudimos enviar tu mensaje. Revisa tu conexión e inténtalo de nuevo.";

  let token = readStoredToken() || config.session;
  let lastId = 0;
  let busy = false;
  let pollTimer = null;
  let focusWhenReady = false; // the widget asked for the message box while it was still disabled
  const shown = new Set(); // ids of the messages on the page: a poll and an answer may bring the same one

  // --- Server -----------------------------------------------------------------

  function readStoredToken() {
    try {
      return window.sessionStorage.getItem(storageKey);
    } catch (error) {
      return null; // storage blocked (e.g. a third-party iframe in some browsers): a fresh session per page
    }
  }

  function storeToken(value) {
    try {
      window.sessionStorage.setItem(storageKey, value);
    } catch (error) {
      /* the conversation simply won't survive a reload */
    }
  }

  async function call(method, url, body) {
    const headers = { Accept: "application/json", [config.sessionHeader]: token };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: "same-origin",
        cache: "no-store",
      });
    } catch (error) {
      return { ok: false, status: 0, data: {} };
    }
    let data = {};
    try {
      data = await response.json();
    } catch (error) {
      data = {};
    }
    return { ok: response.ok, status: response.status, data };
  }

  function isSessionError(result) {
    return result.status === 403 && /^session_/.test(result.data.error || "");
  }

  async function loadHistory() {
    let result = await call("GET", config.messagesUrl);
    if (isSessionError(result) && token !== config.session) {
      token = config.session; // the stored session expired: start over with the page's own
      result = await call("GET", config.messagesUrl);
    }
    storeToken(token);
    if (result.ok) {
      result.data.messages.forEach((message) => appendMessage(message));
      lastId = result.data.last_id || lastId;
      setQuickReplies(result.data.quick_replies);
      setHandoff(result.data.handoff);
      scrollToEnd();
    } else {
      showError(result.data.detail || FALLBACK_ERROR);
    }
    setReady();
  }

  // The form stays disabled until the conversation so far is on the page: a message typed earlier
  // would be lost (no handler yet) or its answer drawn twice (once more with the history).
  function setReady() {
    input.disabled = false;
    sendButton.disabled = false;
    root.dataset.state = "ready";
    if (focusWhenReady) input.focus();
  }

  async function send(text, origin) {
    text = text.trim();
    if (!text || busy) return;
    busy = true;
    showError("");
    const mine = appendMessage({ role: "user", text });
    scrollToEnd();
    setTyping(true);
    const result = await call("POST", config.messagesUrl, { message: text });
    setTyping(false);
    busy = false;
    if (!result.ok) {
      mine.remove();
      if (origin === input) {
        input.value = text; // given back, with its counter, to fix and send again
        resizeInput();
        updateCounter();
      }
      showError(result.data.detail || FALLBACK_ERROR);
      restoreFocus(origin);
      return;
    }
    const { message, quick_replies: replies, handoff, last_id: newLastId } = result.data;
    lastId = newLastId || lastId;
    const answer = message ? appendMessage(message) : null;
    setQuickReplies(replies);
    setHandoff(handoff);
    if (answer) revealAnswer(answer);
    restoreFocus(origin);
  }

  async function poll() {
    const result = await call("GET", `${config.messagesUrl}?after=${encodeURIComponent(lastId)}`);
    if (!result.ok) return;
    const fresh = result.data.messages.filter((message) => message.role !== "user");
    fresh.forEach((message) => appendMessage(message));
    lastId = result.data.last_id || lastId;
    if (fresh.length) scrollToEnd();
    if (!result.data.handoff) setQuickReplies(result.data.quick_replies);
    setHandoff(result.data.handoff);
  }

  // --- Drawing ------------------------------------------------------------------

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function hidden(text) {
    return el("span", "visually-hidden", text);
  }

  function appendMessage(message) {
    if (message.id && shown.has(message.id)) return null;
    if (message.id) shown.add(message.id);
    const item = el("li", `msg msg--${message.role}`);
    if (message.role === "user") {
      item.append(hidden("Tú:"), el("p", "msg__bubble", message.text));
    } else if (message.role === "staff") {
      item.append(el("p", "msg__who", "Asesor del equipo"), el("p", "msg__bubble", message.text));
    } else {
      item.append(hidden(`${config.assistantName} dice:`));
      if (message.faq && message.faq.question) {
        item.append(el("p", "msg__tag", `Pregunta frecuente: ${message.faq.question}`));
      }
      if (message.text) item.append(el("p", "msg__bubble", message.text));
      appendRich(item, message);
    }
    log.append(item);
    return item;
  }

  function appendRich(item, message) {
    if (message.lead && message.lead.folio) item.append(folioBox(message.lead.folio));
    if (message.vehicles && message.vehicles.length) {
      item.append(cardList(message.vehicles));
      if (message.vehicles_total > message.vehicles.length) {
        const note = `Te muestro ${message.vehicles.length} de ${message.vehicles_total} autos; dime más de lo que buscas para afinar.`;
        item.append(el("p", "cards__note", note));
      }
    }
    if (message.alternatives && message.alternatives.length) {
      item.append(el("p", "cards__note", "Opciones parecidas:"), cardList(message.alternatives));
    }
    if (message.financing) item.append(planTable(message.financing));
  }

  function cardList(vehicles) {
    const list = el("ul", "cards");
    vehicles.forEach((vehicle) => {
      const item = el("li");
      item.append(vehicleCard(vehicle));
      list.append(item);
    });
    return list;
  }

  function vehicleCard(vehicle) {
    const card = el("article", "card");
    const titleId = `card-${vehicle.stock_id}-${Math.random().toString(36).slice(2, 8)}`;
    card.setAttribute("aria-labelledby", titleId);
    const photo = el(vehicle.photo_url ? "img" : "div", "card__photo");
    if (vehicle.photo_url) {
      photo.src = vehicle.photo_url;
      photo.alt = `Foto del ${vehicle.title}`;
      photo.loading = "lazy";
    } else {
      photo.setAttribute("role", "img");
      photo.setAttribute("aria-label", "Sin foto por ahora");
    }
    const body = el("div", "card__body");
    const top = el("div", "card__top");
    const title = el("h3", "card__title", vehicle.title);
    title.id = titleId;
    const price = el("p", "card__price");
    price.append(hidden("Precio: "), document.createTextNode(vehicle.price));
    top.append(title, price);
    const facts = el("dl", "card__facts");
    if (vehicle.version) facts.append(fact("Versión", vehicle.version));
    facts.append(fact("Kilometraje", vehicle.km));
    body.append(top, facts);
    const actions = el("div", "card__actions");
    actions.append(
      actionButton("Ver detalles", ` del ${vehicle.title}`, vehicle.details_message, ""),
      actionButton("Calcular mensualidad", ` del ${vehicle.title}`, vehicle.financing_message, "button--primary"),
    );
    body.append(actions);
    card.append(photo, body);
    return card;
  }

  function fact(label, value) {
    const wrapper = el("div");
    wrapper.append(el("dt", "visually-hidden", label), el("dd", "", value));
    return wrapper;
  }

  // The visible words start the accessible name, which also names the car (buttons repeat on every card).
  function actionButton(label, context, message, extraClass) {
    const button = el("button", `button ${extraClass}`.trim());
    button.type = "button";
    button.append(document.createTextNode(label), hidden(context));
    button.addEventListener("click", () => send(message, button));
    return button;
  }

  function planTable(plan) {
    const wrapper = el("div", "plan");
    wrapper.tabIndex = 0; // scrollable sideways on a phone: keyboard users can scroll it too
    wrapper.setAttribute("role", "region");
    wrapper.setAttribute("aria-label", `Plan de financiamiento del ${plan.vehicle}`);
    const table = el("table");
    const caption = el("caption");
    caption.append(
      el("span", "plan__vehicle", `Financiamiento: ${plan.vehicle}`),
      el("span", "plan__terms", `Precio ${plan.price} · a financiar ${plan.loan_amount} · tasa anual ${plan.annual_rate}`),
    );
    const head = el("thead");
    const headRow = el("tr");
    ["Plazo", "Mensualidad", "Enganche", "Total pagado"].forEach((label) => {
      const cell = el("th", "", label);
      cell.scope = "col";
      headRow.append(cell);
    });
    head.append(headRow);
    const bodyRows = el("tbody");
    plan.rows.forEach((row) => {
      const tr = el("tr");
      const term = el("th", "", row.term);
      term.scope = "row";
      if (row.term_years !== row.term) term.append(el("span", "plan__years", ` (${row.term_years})`));
      tr.append(term, el("td", "plan__monthly", row.monthly_payment), el("td", "", row.down_payment), el("td", "", row.total_paid));
      bodyRows.append(tr);
    });
    table.append(caption, head, bodyRows);
    wrapper.append(table);
    return wrapper;
  }

  function folioBox(folio) {
    const box = el("section", "folio");
    box.setAttribute("aria-label", "Tu folio");
    box.append(el("p", "folio__label", "Tu folio"), el("p", "folio__value", folio));
    if (navigator.clipboard && window.isSecureContext) {
      const copy = el("button", "button", "Copiar folio");
      copy.type = "button";
      copy.addEventListener("click", async () => {
        try {
          await navigator.clipboard.writeText(folio);
          copy.textContent = "¡Copiado!";
        } catch (error) {
          copy.textContent = "No se pudo copiar";
        }
      });
      box.append(copy);
    }
    box.append(el("p", "folio__hint", "Guárdalo: un asesor te contactará con este folio para confirmar los detalles."));
    return box;
  }

  function setQuickReplies(replies) {
    quick.replaceChildren();
    (replies || []).forEach((reply) => {
      const button = el("button", "button", reply.label);
      button.type = "button";
      button.addEventListener("click", () => send(reply.message, button));
      quick.append(button);
    });
  }

  function setTyping(on) {
    typing.hidden = !on;
    log.setAttribute("aria-busy", on ? "true" : "false");
  }

  function setHandoff(on) {
    handoffNote.hidden = !on;
    if (on && !pollTimer) pollTimer = window.setInterval(poll, POLL_MS);
    if (!on && pollTimer) {
      window.clearInterval(pollTimer);
      pollTimer = null;
    }
  }

  function showError(detail) {
    errorBox.textContent = detail || "";
    errorBox.hidden = !detail;
  }

  function scrollToEnd() {
    log.scrollTop = log.scrollHeight;
  }

  // A long answer (cards, a table) is shown from its start, not from its end.
  function revealAnswer(answer) {
    const top = answer.offsetTop - log.offsetTop - 8;
    log.scrollTop = answer.offsetHeight > log.clientHeight ? top : log.scrollHeight;
  }

  // Keep the keyboard where the person was; a button that went away hands focus to the message box.
  // On a touch screen, focusing the box would pop the keyboard up over the answer, so the log gets it.
  function restoreFocus(origin) {
    if (origin && origin.isConnected) {
      origin.focus();
    } else if (window.matchMedia("(pointer: coarse)").matches) {
      log.focus();
    } else {
      input.focus();
    }
  }

  // --- Events ---------------------------------------------------------------------

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (busy) return; // the text stays in the box until the last answer is in
    const text = input.value;
    input.value = "";
    resizeInput();
    updateCounter();
    send(text, input);
  });

  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  function resizeInput() {
    input.style.height = "auto";
    input.style.height = `${Math.min(input.scrollHeight + 4, 144)}px`;
  }
  input.addEventListener("input", resizeInput);

  // Characters as the server counts them (code points, ends trimmed): an emoji is one, not two.
  const number = new Intl.NumberFormat("es-MX");
  function updateCounter() {
    const count = [...input.value.trim()].length;
    const over = count > maxChars;
    counter.hidden = count < maxChars * COUNT_FROM;
    counter.classList.toggle("chat__count--over", over);
    const extra = count - maxChars;
    counter.textContent = `${number.format(count)} de ${number.format(maxChars)} caracteres`;
    if (over) counter.textContent += `: pasa del máximo; quita ${number.format(extra)} para enviarlo.`;
    if (over) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  }
  input.addEventListener("input", updateCounter);

  // In the widget's iframe: the close button and Escape ask the host page to close; it may ask for focus.
  const embedded = config.embed === "1" && window.parent !== window;
  function askToClose() {
    window.parent.postMessage({ type: "kvky-webchat:close", assistant: config.assistant }, "*");
  }
  if (closeButton) closeButton.addEventListener("click", askToClose);
  if (embedded) {
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape") askToClose();
    });
    window.addEventListener("message", (event) => {
      if (event.source !== window.parent || !event.data || event.data.type !== "kvky-webchat:focus") return;
      if (input.disabled) focusWhenReady = true;
      else input.focus();
    });
  }

  loadHistory();
})();
