import type { Command } from 'commander';
import { sipEdgeSettings } from '../../telephony/sip/kamailio-config';
import { sipStackFiles, startSipStack, writeSipStackConfig } from '../../telephony/sip/sip-stack';
import { configOrFail, reportFailure } from '../run-command';

const out = (line: string) => process.stdout.write(`${line}\n`);

/** Adds the telephony area's commands to `hotline`. */
export function registerTelephonyCommands(program: Command): void {
  const telephony = program.command('telephony').description('self-hosted SIP telephony (Kamailio + rtpengine)');

  telephony
    .command('config')
    .description("write Kamailio's and rtpengine's configuration from Hotline's settings into a folder")
    .option('--dir <folder>', 'where to write kamailio.cfg and rtpengine.conf', './telephony')
    .action((options: { dir: string }) => {
      const config = configOrFail();
      if (!config) return;
      try {
        const files = writeSipStackConfig(config, options.dir);
        out(`Wrote ${files.kamailioCfg} (readable by you only: it holds HOTLINE_SIP_SECRET)`);
        out(`Wrote ${files.rtpengineConf}`);
        out(`Check it with: kamailio -c -f ${files.kamailioCfg}`);
      } catch (error) {
        reportFailure(error);
      }
    });

  telephony
    .command('start')
    .description('run Kamailio and rtpengine in the foreground from a folder written by "telephony config"; Ctrl-C stops both')
    .option('--dir <folder>', 'the folder written by "hotline telephony config"', './telephony')
    .option('--write-config', 'write the configuration first')
    .action(async (options: { dir: string; writeConfig?: boolean }) => {
      const config = configOrFail();
      if (!config) return;
      try {
        const settings = sipEdgeSettings(config);
        const files = options.writeConfig ? writeSipStackConfig(config, options.dir) : sipStackFiles(options.dir);
        const stack = await startSipStack(files, {
          rtpengineNg: settings.rtpengineNg,
          sipAddress: { host: settings.listenIp, port: settings.sipPort },
          log: (name, line) => process.stderr.write(`[${name}] ${line}\n`),
        });
        out(`SIP edge listening on ${settings.listenIp}:${settings.sipPort} (UDP/TCP) and ws://${settings.listenIp}:${settings.wsPort}; media via rtpengine ${settings.rtpengineNg}`);
        const state = { isStopping: false };
        const stop = () => {
          if (state.isStopping) return;
          state.isStopping = true;
          out('Stopping Kamailio and rtpengine...');
          void stack.stop().then(() => process.exit(0));
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        const exit = await stack.exited;
        if (!state.isStopping) {
          process.stderr.write(`hotline: ${exit.name} stopped unexpectedly (code ${exit.code}, signal ${exit.signal}); stopping the other\n`);
          await stack.stop();
          process.exitCode = 1;
        }
      } catch (error) {
        reportFailure(error);
      }
    });
}
