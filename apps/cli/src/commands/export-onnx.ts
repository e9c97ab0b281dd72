import type { Command } from 'commander';
import type { RunContext } from '../program.js';

export function registerExportOnnx(_program: Command, _ctx: RunContext): void {}
