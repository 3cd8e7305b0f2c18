/**
 * Messages between the main process and the training process (see ARCHITECTURE.md).
 */
import { z } from 'zod';

export const trainerRequestSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('start'),
    projectPath: z.string().min(1),
    runId: z.number().int().positive(),
    hyperparameters: z.record(z.string(), z.unknown()),
  }),
  z.object({ type: z.literal('cancel') }),
]);
export type TrainerRequest = z.infer<typeof trainerRequestSchema>;

export type TrainerEvent =
  | { type: 'progress'; runId: number; epoch: number; batch: number; batches: number; loss: number; accuracy: number }
  | {
      type: 'epoch';
      runId: number;
      epoch: number;
      loss: number;
      accuracy: number;
      valLoss: number;
      valAccuracy: number;
    }
  | { type: 'done'; runId: number }
  | { type: 'error'; runId?: number; message: string };
