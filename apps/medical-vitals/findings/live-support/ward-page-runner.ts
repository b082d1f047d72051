import { runInNewContext } from 'node:vm';
import WebSocket from 'ws';

/** A value a page put on screen: which patient, which field, what, and when. */
export interface Shown {
  patientId: string;
  field: string;
  text: string;
  at: number;
}

/** The few DOM elements the ward page scripts use, enough to run them outside a browser and watch the cells. */
class FakeElement {
  readonly dataset: Record<string, string> = {};
  readonly children: FakeElement[] = [];
  parent: FakeElement | undefined;
  className = '';
  offsetWidth = 0;
  hidden = false;
  value = '';
  onsubmit: ((event: { preventDefault(): void }) => void) | null = null;
  private text = '';
  readonly classList = {
    add: (): void => undefined,
    remove: (): void => undefined,
  };

  constructor(private readonly page: WardPage) {}

  get textContent(): string {
    return this.text;
  }

  set textContent(value: string) {
    this.text = value;
    const patientId = this.parent?.dataset['patientId'];
    const field = this.dataset['field'];
    if (patientId !== undefined && field !== undefined)
      this.page.shown.push({ patientId, field, text: value, at: Date.now() });
  }

  get firstChild(): FakeElement | null {
    return this.children[0] ?? null;
  }

  appendChild(child: FakeElement): FakeElement {
    child.parent = this;
    this.children.push(child);
    return child;
  }

  insertBefore(child: FakeElement, before: FakeElement | null): FakeElement {
    child.parent = this;
    const index = before === null ? -1 : this.children.indexOf(before);
    if (index < 0) this.children.push(child);
    else this.children.splice(index, 0, child);
    return child;
  }

  querySelector(selector: string): FakeElement | null {
    const field = /^\[data-field="([^"]+)"\]$/.exec(selector)?.[1];
    if (field === undefined) throw new Error(`the fake DOM does not support the selector ${selector}`);
    return this.children.find((child) => child.dataset['field'] === field) ?? null;
  }
}

/**
 * One ward page: the script the app serves at /ward-page.js, run in its own V8 context with a small DOM,
 * the real `fetch` (against the app) and real WebSocket (`ws`), and real timers. Everything the page does
 * over the network goes to the app as a browser's would; every value it writes into a cell is recorded.
 */
export class WardPage {
  readonly shown: Shown[] = [];
  requests = 0;
  private readonly openedSockets: WebSocket[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;
  readonly body = new FakeElement(this);

  private readonly elements: Map<string, FakeElement>;

  private constructor(baseUrl: string, wardId: string, script: string) {
    const elements = new Map(
      ['status', 'ward-id', 'patients', 'alerts', 'sign-in', 'email', 'password'].map((id) => [
        id,
        new FakeElement(this),
      ]),
    );
    this.elements = elements;
    const host = new URL(baseUrl).host;
    const track = (socket: WebSocket): void => {
      this.openedSockets.push(socket);
    };
    const isClosed = (): boolean => this.closed;
    const countRequest = (): void => {
      this.requests += 1;
    };
    const timers = this.timers;
    runInNewContext(script, {
      document: {
        body: this.body,
        getElementById: (id: string) => elements.get(id) ?? null,
        createElement: () => new FakeElement(this),
      },
      location: { pathname: `/ward/${wardId}`, protocol: 'http:', host },
      fetch: (url: string, init?: RequestInit) => {
        if (isClosed()) return new Promise(() => undefined);
        countRequest();
        return fetch(new URL(url, baseUrl), init);
      },
      WebSocket: class extends WebSocket {
        constructor(url: string) {
          super(url);
          track(this);
          this.on('error', () => undefined);
        }
      },
      setTimeout: (fn: () => void, ms: number) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!isClosed()) fn();
        }, ms);
        timers.add(timer);
        return timer;
      },
    });
  }

  /** Loads the page's script as the app serves it, runs it for the ward and signs in as a nurse would. */
  static async open(
    baseUrl: string,
    wardId: string,
    credentials: { email: string; password: string },
  ): Promise<WardPage> {
    const response = await fetch(`${baseUrl}/ward-page.js`);
    if (!response.ok) throw new Error(`ward-page.js: HTTP ${response.status}`);
    const page = new WardPage(baseUrl, wardId, await response.text());
    page.elements.get('email')!.value = credentials.email;
    page.elements.get('password')!.value = credentials.password;
    page.elements.get('sign-in')!.onsubmit?.({ preventDefault: () => undefined });
    return page;
  }

  /** The first time the page showed `text` in `field` for the patient, at or after `since`. */
  firstShown(patientId: string, field: string, text: string, since: number): number | undefined {
    return this.shown.find(
      (shown) =>
        shown.patientId === patientId && shown.field === field && shown.text === text && shown.at >= since,
    )?.at;
  }

  /** WebSockets the page opened. */
  get sockets(): number {
    return this.openedSockets.length;
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    for (const socket of this.openedSockets) socket.terminate();
  }
}
