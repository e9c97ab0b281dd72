// One-line text of a caught error, as cells and skip reasons record it.
export function errorText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message.split('\n')[0]}` : String(e);
}
