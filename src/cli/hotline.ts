// The `hotline` command's entry point (bin/hotline.js, npm start); the commands are built in main.ts
// so that tests can read every command's help without running one.
import { buildCli } from './main';

await buildCli().parseAsync(process.argv);
