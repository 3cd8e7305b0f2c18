/**
 * A file path as a request carries it. Node's fs refuses a NUL character, but SQLite takes the
 * path as a C string and stops at the first NUL: `a.txt\0.sstudio` would pass the ".sstudio"
 * checks and then create or open `a.txt`. So a NUL is refused at the boundary, with overlong
 * paths (4,096 is Linux's PATH_MAX; no file system here takes longer).
 */
import { z } from 'zod';

export const maxPathLength = 4096;

export const filePathSchema = z
  .string()
  .min(1, 'a file path is required')
  .max(maxPathLength, `a file path has at most ${maxPathLength} characters`)
  .refine((path) => !path.includes('\0'), 'a file path cannot contain a NUL character');
