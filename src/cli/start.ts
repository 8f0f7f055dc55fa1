export async function startCommand(_opts: { demo: boolean }): Promise<void> {
  throw new Error('not yet');
}
