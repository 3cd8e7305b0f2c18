/**
 * Commands from the desktop shell that a screen, not the app frame, knows how to carry out. The
 * annotate view registers its undo (it knows which label it just applied and refreshes its
 * queue); without one, App.svelte falls back to labels:undo.
 */
type Handler = () => void;

const undoHandlers = new Set<Handler>();

/** Registers the screen's undo; returns the unregister (hand it back from an `$effect`). */
export function provideUndo(handler: Handler): () => void {
  undoHandlers.add(handler);
  return () => undoHandlers.delete(handler);
}

/** Runs the newest registered undo; false when no screen offers one. */
export function requestUndo(): boolean {
  const handler = [...undoHandlers].at(-1);
  if (!handler) return false;
  handler();
  return true;
}

/** Whether the focus is in a text field, where Undo means "undo my typing". */
export function editingText(element: Element | null = document.activeElement): boolean {
  if (!element) return false;
  if (element instanceof HTMLTextAreaElement) return true;
  if (element instanceof HTMLInputElement) return !['checkbox', 'radio', 'button', 'submit', 'color', 'range'].includes(element.type);
  return element instanceof HTMLElement && element.isContentEditable;
}
