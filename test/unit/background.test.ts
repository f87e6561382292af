// Work that outlives a turn: a failing task is reported, not left as an unhandled rejection (which
// ends a Node 20 process), and a graceful stop still waits for everything.
import { BackgroundTasks } from '../../src/background';

describe('BackgroundTasks', () => {
  it('when a task fails, then its error goes to onError and idle() still resolves', async () => {
    const errors: unknown[] = [];
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const tasks = new BackgroundTasks((err) => errors.push(err));
      const boom = new Error('delivery failed');
      tasks.run(Promise.reject(boom));
      tasks.run(new Promise((resolve) => setTimeout(resolve, 10)));
      expect(tasks.size).toBe(2);
      await tasks.idle();
      // Give Node a macrotask to report an unhandled rejection, were there one.
      await new Promise((resolve) => setImmediate(resolve));
      expect(errors).toEqual([boom]);
      expect(unhandled).toEqual([]);
      expect(tasks.size).toBe(0);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
