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
  constructor(private readonly page: WardPage) {}

  get parentNode(): FakeElement | null {
    return this.parent ?? null;
  }

  get textContent(): string {
    return this.text;
  }

  set textContent(value: string) {
    this.text = value;
    let row = this.parent;
    while (row !== undefined && row.dataset['patientId'] === undefined) row = row.parent;
    const patientId = row?.dataset['patientId'];
    const field = this.dataset['field'];
    if (patientId !== undefined && field !== undefined)
      this.page.shown.push({ patientId, field, text: value, at: Date.now() });
  }

  get firstChild(): FakeElement | null {
    return this.children[0] ?? null;
  }

  /** Like the DOM: appending an element that has a parent moves it. */
  appendChild(child: FakeElement): FakeElement {
    child.parent?.removeChild(child);
    child.parent = this;
    this.children.push(child);
    return child;
  }

  removeChild(child: FakeElement): FakeElement {
    const index = this.children.indexOf(child);
    if (index < 0) throw new Error('removeChild: not a child of this element');
    this.children.splice(index, 1);
    child.parent = undefined;
    return child;
  }

  insertBefore(child: FakeElement, before: FakeElement | null): FakeElement {
    child.parent?.removeChild(child);
    child.parent = this;
    const index = before === null ? -1 : this.children.indexOf(before);
    if (index < 0) this.children.push(child);
    else this.children.splice(index, 0, child);
    return child;
  }

  /** `[data-<name>="<value>"]` only, searched depth-first like the DOM's document order. */
  querySelector(selector: string): FakeElement | null {
    const match = /^\[data-([a-z-]+)="([^"]+)"\]$/.exec(selector);
    if (match === null) throw new Error(`the fake DOM does not support the selector ${selector}`);
    const key = match[1]!.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
    const find = (element: FakeElement): FakeElement | null => {
      for (const child of element.children) {
        if (child.dataset[key] === match[2]) return child;
        const found = find(child);
        if (found !== null) return found;
      }
      return null;
    };
    return find(this);
  }
}

/** The `data-*` attributes of the served page's <body> (the settings the server gives the script), camel-cased. */
function bodyDataOf(html: string): Record<string, string> {
  const tag = /<body([^>]*)>/.exec(html)?.[1] ?? '';
  const data: Record<string, string> = {};
  for (const [, name, value] of tag.matchAll(/data-([a-z-]+)="([^"]*)"/g))
    data[name!.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase())] = value!;
  return data;
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

  /** The page's elements by id, made on first use: the scripts only look up ids their page has. */
  private readonly elements = new Map<string, FakeElement>();

  private element(id: string): FakeElement {
    let element = this.elements.get(id);
    if (element === undefined) {
      element = new FakeElement(this);
      this.elements.set(id, element);
    }
    return element;
  }

  private constructor(baseUrl: string, wardId: string, script: string, bodyData: Record<string, string>) {
    Object.assign(this.body.dataset, bodyData);
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
        getElementById: (id: string) => this.element(id),
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
      setInterval: (fn: () => void, ms: number) => {
        const timer = setInterval(() => {
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
    const html = await fetch(`${baseUrl}/ward/${wardId}`);
    if (!html.ok) throw new Error(`ward page: HTTP ${html.status}`);
    const page = new WardPage(baseUrl, wardId, await response.text(), bodyDataOf(await html.text()));
    page.element('email').value = credentials.email;
    page.element('password').value = credentials.password;
    page.element('sign-in').onsubmit?.({ preventDefault: () => undefined });
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
    for (const timer of this.timers) clearTimeout(timer); // clears intervals too
    for (const socket of this.openedSockets) socket.terminate();
  }
}
