/**
 * The state of a form that calls the studio: busy while the call runs (so the button can say
 * so and a double press does nothing), and the message of the last failure.
 */
import { errorMessage } from './studio';

export class Submission {
  busy = $state(false);
  error = $state<string | null>(null);

  async run(task: () => Promise<void>): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.error = null;
    try {
      await task();
    } catch (caught) {
      this.error = errorMessage(caught);
    } finally {
      this.busy = false;
    }
  }
}
