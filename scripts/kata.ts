// `npm run kata [-- <command> <ID>]`: practise on the reviewed systems. The learner fixes a copy of a kata (the
// review's flawed design) that the service loads at the finding's seam, and the finding's own proof judges it.
// See docs/katas.md and docs/adr/0008-kata-exercises-by-module-hook.md.
import { checkCommand } from './kata/commands/check-command.js';
import { hintCommand } from './kata/commands/hint-command.js';
import { listCommand } from './kata/commands/list-command.js';
import { resetCommand } from './kata/commands/reset-command.js';
import { solutionCommand } from './kata/commands/solution-command.js';
import { startCommand } from './kata/commands/start-command.js';
import { statusCommand } from './kata/commands/status-command.js';
import { watchCommand } from './kata/commands/watch-command.js';
import { loadExercises } from './kata/exercise-catalog.js';
import { findExercise, KataUsageError } from './kata/find-exercise.js';

const USAGE = `usage: npm run kata [-- <command> [<ID>] [--force]]
  list                 every exercise by app, with your status (the default)
  start <ID>           put the flaw back into your copy, show the task, run the proof once
                       (--no-run: skip the run; --force: start again over your changes)
  check <ID>           run the proof on your code: yours / flawed / reference numbers
  watch <ID>           check again whenever a file of the app or your copy is saved
  hint <ID>            the next hint
  solution <ID>        the reference fix as a diff against your copy
  reset <ID>           delete your copy (changed copies only with --force)
  status               your progress`;

const COMMANDS = ['list', 'start', 'check', 'watch', 'hint', 'solution', 'reset', 'status', 'help'] as const;
type Command = (typeof COMMANDS)[number];

async function main(argv: string[]): Promise<number> {
  const force = argv.includes('--force');
  const run = !argv.includes('--no-run');
  const [command = 'list', id, ...rest] = argv.filter((arg) => arg !== '--force' && arg !== '--no-run');
  if (!(COMMANDS as readonly string[]).includes(command) || rest.length > 0) {
    throw new KataUsageError(
      `unknown command "${[command, id, ...rest].filter(Boolean).join(' ')}"\n${USAGE}`,
    );
  }
  const exercises = await loadExercises();
  switch (command as Command) {
    case 'help':
      console.log(USAGE);
      return 0;
    case 'list':
      return listCommand(exercises);
    case 'status':
      return statusCommand(exercises);
    case 'start': {
      const exercise = findExercise(exercises, id);
      return startCommand(exercise, { force, run });
    }
    case 'check': {
      const exercise = findExercise(exercises, id);
      return checkCommand(exercise);
    }
    case 'watch': {
      const exercise = findExercise(exercises, id);
      return watchCommand(exercise);
    }
    case 'hint':
      return hintCommand(findExercise(exercises, id));
    case 'solution':
      return solutionCommand(findExercise(exercises, id));
    case 'reset':
      return resetCommand(findExercise(exercises, id), force);
  }
}

// `npm run kata -- solution … | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  // 1 is a failing check; 2 a misuse; 3 a proof that could not run (the message says why).
  if (error instanceof KataUsageError) {
    console.error(`kata: ${error.message}`);
    process.exitCode = 2;
  } else {
    console.error(`kata: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 3;
  }
}
