// Entry point of dist/server.js: the language server over node IPC or --stdio.
import { startServer } from './server';

startServer();
