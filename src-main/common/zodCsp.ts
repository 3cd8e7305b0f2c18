/**
 * Import this first in code that runs under the renderer's Content-Security-Policy (the renderer
 * and the preload). When a schema is built, zod probes whether it may compile parsers with
 * `new Function`; without 'unsafe-eval' the probe fails quietly but Chromium still reports a
 * CSP violation. Jitless parsing is what zod falls back to anyway.
 */
import { z } from 'zod';

z.config({ jitless: true });
