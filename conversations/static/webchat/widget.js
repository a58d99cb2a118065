/* The embeddable chat widget. A dealer adds one tag to their site:
 *
 *   <script src="https://YOUR-KVKY-SITE/static/webchat/widget.js" data-assistant="kvky" defer></script>
 *
 * Optional: data-label="Chatea con un asesor" (the button's text), data-color="#0b5cad". It adds a floating button that
 * opens /chat/<assistant>/?embed=1 from the same site as this script in an iframe; that site must
 * list the dealer's origin in WEBCHAT_ALLOWED_ORIGINS. Styles are set through the DOM, never as
 * inline markup, so the widget also works on pages with a strict Content-Security-Policy. */
(() => {
  "use strict";

  const script = document.currentScript;
  if (!script || !script.src) return;
  const slug = (script.getAttribute("data-assistant") || "kvky").trim();
  const registry = (window.__kvkyWebchat = window.__kvkyWebchat || {});
  if (registry[slug]) return; // the tag was pasted twice
  registry[slug] = true;

  const chatOrigin = new URL(script.src, document.baseURI).origin;
  const chatUrl = `${chatOrigin}/chat/${encodeURIComponent(slug)}/?embed=1`;
  const label = script.getAttribute("data-label") || "Chatea con nosotros";
  const panelId = `kvky-webchat-${slug}`;
  const color = script.getAttribute("data-color") || "";
  const accent = /^#[0-9a-f]{3,8}$/i.test(color) ? color : "#0b5cad";

  function styled(tag, styles) {
    const node = document.createElement(tag);
    Object.assign(node.style, styles);
    return node;
  }

  const button = styled("button", {
    position: "fixed", right: "20px", bottom: "20px", zIndex: "2147483000",
    display: "flex", alignItems: "center", gap: "8px",
    padding: "12px 18px", border: "0", borderRadius: "999px",
    background: accent, color: "#ffffff", font: "600 16px/1.2 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
    boxShadow: "0 6px 18px rgba(0, 0, 0, 0.25)", cursor: "pointer",
  });
  button.type = "button";
  button.textContent = label;
  button.setAttribute("aria-expanded", "false");
  button.setAttribute("aria-controls", panelId);
  button.setAttribute("data-kvky-webchat", "launcher");

  const panel = styled("div", {
    position: "fixed", zIndex: "2147483001", display: "none",
    background: "#ffffff", boxShadow: "0 12px 40px rgba(0, 0, 0, 0.3)", overflow: "hidden",
  });
  panel.id = panelId;
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", label);

  const frame = styled("iframe", { width: "100%", height: "100%", border: "0", display: "block" });
  frame.title = `Chat: ${label}`;
  frame.setAttribute("data-kvky-webchat", "frame");
  frame.allow = "clipboard-write";
  panel.append(frame);

  // A phone gets the whole screen; a desktop a panel above the button.
  const narrow = window.matchMedia("(max-width: 480px)");
  function place() {
    const box = narrow.matches
      ? { inset: "0", width: "100%", height: "100%", borderRadius: "0", right: "0", bottom: "0" }
      : { inset: "auto", right: "20px", bottom: "84px", width: "380px", height: "min(640px, calc(100vh - 110px))", borderRadius: "16px" };
    Object.assign(panel.style, box);
  }
  place();
  narrow.addEventListener("change", place);

  function isOpen() {
    return panel.style.display !== "none";
  }

  function open() {
    if (!frame.src) frame.src = chatUrl; // loaded on first open only
    panel.style.display = "block";
    button.setAttribute("aria-expanded", "true");
    if (narrow.matches) button.style.display = "none";
    frame.focus();
    frame.contentWindow.postMessage({ type: "kvky-webchat:focus" }, chatOrigin);
  }

  function close() {
    panel.style.display = "none";
    button.style.display = "flex";
    button.setAttribute("aria-expanded", "false");
    button.focus();
  }

  button.addEventListener("click", () => (isOpen() ? close() : open()));
  frame.addEventListener("load", () => {
    if (isOpen()) frame.contentWindow.postMessage({ type: "kvky-webchat:focus" }, chatOrigin);
  });
  window.addEventListener("message", (event) => {
    const fromChat = event.source === frame.contentWindow && event.origin === chatOrigin;
    if (fromChat && event.data && event.data.type === "kvky-webchat:close") close();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && isOpen()) close();
  });

  function mount() {
    document.body.append(panel, button);
  }
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
