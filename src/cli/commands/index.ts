/**
 * @fileoverview The list of subcommands. Each module exports `register(program, io)`.
 */
import type { Command } from 'commander';
import type { CliIo } from '../io.js';

export type RegisterCommand = (program: Command, io: CliIo) => void;

export const commands: RegisterCommand[] = [];
