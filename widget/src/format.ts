// Turns bot text into DOM nodes. Nothing here ever parses HTML: every piece of text
// becomes a text node, so markup in a reply is shown, never executed.

const LINK = /\[([^\]\n]+)\]\(([^)\s]+)\)|\bhttps?:\/\/[^\s<>"'`]+/gi;
const BOLD = /\*\*([^*\n](?:[^*\n]|\*(?!\*))*?)\*\*/g;
const ITALIC = /(^|[^\w])_([^_\s](?:[^_\n]*[^_\s])?)_(?![\w])/g;
const TRAILING_PUNCTUATION = /[.,;:!?)\]'"]+$/;

/** The URL if it is an absolute http(s) link, else null (javascript:, data:, relative...). */
export function safeUrl(href: string): string | null {
  try {
    const url = new URL(href);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

type Inline = (text: string, doc: Document) => Node[];

/** Split `text` on `pattern`; matches become nodes via `wrap`, the rest goes to `next`. */
function splitOn(
  text: string,
  pattern: RegExp,
  doc: Document,
  wrap: (match: RegExpExecArray) => { before: string; node: Node },
  next: Inline,
): Node[] {
  const nodes: Node[] = [];
  let last = 0;
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const { before, node } = wrap(match);
    nodes.push(...next(text.slice(last, match.index) + before, doc), node);
    last = match.index + match[0].length;
  }
  nodes.push(...next(text.slice(last), doc));
  return nodes;
}

const plain: Inline = (text, doc) => (text ? [doc.createTextNode(text)] : []);

const italic: Inline = (text, doc) =>
  splitOn(
    text,
    ITALIC,
    doc,
    (m) => {
      const em = doc.createElement("em");
      em.textContent = m[2];
      return { before: m[1], node: em };
    },
    plain,
  );

const bold: Inline = (text, doc) =>
  splitOn(
    text,
    BOLD,
    doc,
    (m) => {
      const strong = doc.createElement("strong");
      strong.append(...italic(m[1], doc));
      return { before: "", node: strong };
    },
    italic,
  );

function anchor(doc: Document, href: string, label: string): HTMLAnchorElement {
  const a = doc.createElement("a");
  a.href = href;
  a.target = "_blank";
  a.rel = "noopener noreferrer";
  a.textContent = label;
  return a;
}

/** Render bot text: http(s) links, **bold** and _italic_, everything else as text. */
export function renderRichText(text: string, doc: Document = document): DocumentFragment {
  const fragment = doc.createDocumentFragment();
  const nodes: Node[] = [];
  let last = 0;
  LINK.lastIndex = 0;
  for (let match = LINK.exec(text); match; match = LINK.exec(text)) {
    let raw = match[0];
    let node: Node;
    if (match[1] !== undefined) {
      const href = safeUrl(match[2]);
      node = href ? anchor(doc, href, match[1]) : doc.createTextNode(match[1]);
    } else {
      raw = raw.replace(TRAILING_PUNCTUATION, "");
      const href = safeUrl(raw);
      node = href ? anchor(doc, href, raw) : doc.createTextNode(raw);
    }
    nodes.push(...bold(text.slice(last, match.index), doc), node);
    last = match.index + raw.length;
    LINK.lastIndex = last;
  }
  nodes.push(...bold(text.slice(last), doc));
  fragment.append(...nodes);
  return fragment;
}
