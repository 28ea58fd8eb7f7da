// The class socket `/ws/class/<code>` (docs/classroom.md, "Class socket"): JSON events as objects, the teacher's
// broadcast frames as ArrayBuffers, and a reconnect with backoff when it drops (the server sends the class's state
// again on every connection, so nothing is lost but the frames in between). A refusal (`error` before the close
// with code 1008: an unknown class, a wrong token) stops the retries and is handed to `onRefused`.

const BACKOFF = [500, 1000, 2000, 4000, 8000];

export class ClassSocket {
  /**
   * @param {string} query `teacher=<token>` or `member=<id>`
   * @param {string} code
   * @param {{onMessage?: (msg: any) => void, onFrame?: (buf: ArrayBuffer) => void, onStatus?: (s: string) => void,
   *   onRefused?: (msg: any) => void}} handlers
   */
  constructor(code, query, handlers) {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    this.url = `${scheme}//${location.host}/ws/class/${encodeURIComponent(code)}?${query}`;
    this.handlers = handlers;
    this.failures = 0;
    this.refused = null;
    this.ws = null;
    this.connect();
  }

  connect() {
    const ws = new WebSocket(this.url);
    ws.binaryType = "arraybuffer";
    this.ws = ws;
    ws.onopen = () => { this.failures = 0; this.handlers.onStatus?.("live"); };
    ws.onmessage = (event) => {
      if (event.data instanceof ArrayBuffer) {
        this.handlers.onFrame?.(event.data);
        return;
      }
      let msg;
      try { msg = JSON.parse(event.data); } catch { return; }
      if (msg.type === "error" && msg.field === "class") this.refused = msg;
      this.handlers.onMessage?.(msg);
    };
    ws.onclose = (event) => {
      if (this.ws !== ws) return;
      if (event.code === 1008 && this.refused) {
        this.handlers.onRefused?.(this.refused);
        return;
      }
      this.handlers.onStatus?.("reconnecting");
      const delay = BACKOFF[Math.min(this.failures++, BACKOFF.length - 1)];
      setTimeout(() => this.connect(), delay);
    };
  }

  /** Send a teacher's command. @returns {boolean} whether the socket took it */
  send(msg) {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(msg));
    return true;
  }
}
