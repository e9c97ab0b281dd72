// @albertjs/tfjs for the code blocks the pages run (the import map maps the bare specifier here).
export * from '@albertjs/tfjs';
