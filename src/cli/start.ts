// `egov start`: one process serving the API, the web workbench and background jobs.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { demoUsers } from '../demo/dataset.ts';
import { hasAnyOrganization, seedDemo } from '../demo/seed.ts';
import { WEB_DIST } from '../http/static-web.ts';
import { CliError, type Command } from './command.ts';
import { printDemoSignIns } from './output.ts';

function ensureWebBuilt(): void {
  if (fs.existsSync(path.join(WEB_DIST, 'index.html'))) return;
  console.log('Building the web workbench (first start)…');
  const script = path.resolve(import.meta.dirname, '../../scripts/build-web.ts');
  const result = spawnSync(process.execPath, [script], { stdio: 'inherit' });
  if (result.status !== 0) console.error('The web build failed; the API still runs. Fix the build and run `npm run build:web`.');
}

export const startCommand: Command = {
  name: 'start',
  summary:
    'Serve the API and the web workbench. On first start creates the database, applies migrations and loads the demo dataset (not in production). --node <file> reads a node\'s settings from a JSON file (port, host, instance, dataDir, databaseUrl, anchorFile, masterKeyFile, trustSuite, logLevel, nodeName, nodeUrl, nodeZone, nodePort, nodeMembers, clientTlsPort, globalConfRefreshSeconds); a node with an anchorFile is a member node of that instance: it registers with the central node and opens its node port once approved.',
  usage: 'start [--node <file>]',
  options: { node: { type: 'string' } },
  async run({ values }) {
    if (values.node) {
      const file = path.resolve(String(values.node));
      if (!fs.existsSync(file)) throw new CliError(`No node file ${file}.`, 2);
      process.env.EGOV_NODE_FILE = file; // loadConfig reads it, as every command does
    }
    const config = loadConfig();
    ensureWebBuilt();
    const started = Date.now();
    const app = await createApp(config, { notify: (message) => console.log(`  ${message}`) });
    const { services, logger } = app;

    let seeded: Awaited<ReturnType<typeof seedDemo>> | undefined;
    // A member node serves the instance's members, not a demo world of its own.
    if (config.env !== 'production' && !config.anchorFile && !(await hasAnyOrganization(services))) {
      console.log('Empty database: loading the demo dataset…');
      seeded = await seedDemo(services, config.demoPassword);
    }

    let closing = false;
    const shutdown = async (signal: string) => {
      if (closing) return;
      closing = true;
      logger.info({ signal }, 'shutting down: finishing in-flight requests');
      // A stuck request must not keep the process up forever.
      const force = setTimeout(() => {
        logger.error('shutdown timed out after 10 s; exiting');
        process.exit(1);
      }, 10_000);
      force.unref();
      await app.close();
      logger.info('stopped cleanly');
      process.exit(0);
    };
    process.on('SIGINT', () => void shutdown('SIGINT'));
    process.on('SIGTERM', () => void shutdown('SIGTERM'));

    await app.http.listen({ port: config.port, host: config.host });
    const address = app.http.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}/`;
    // The node port, for other nodes (mutual TLS): at once on the central node; on a member
    // node once the central operator has approved it.
    const openNodePort = async () => {
      try {
        const server = await services.exchange.listenNode(config.node.port, config.host);
        console.log(`  Node port / 节点端口: ${config.node.url} (mutual TLS, listening on ${config.host}:${server.port})`);
        if (config.node.clientTlsPort !== undefined) {
          const clientTls = await app.listenClientTls(config.node.clientTlsPort, config.host);
          console.log(`  Client HTTPS port / 客户端 HTTPS 端口: https://${config.host}:${clientTls.port}/r1/… (client certificates)`);
        }
      } catch (err) {
        logger.error({ err }, 'the node port could not be opened');
        console.error(`  The node port ${config.host}:${config.node.port} could not be opened: ${(err as Error).message}. Set EGOV_NODE_PORT to a free port.`);
      }
    };
    if (config.anchorFile) {
      const state = await services.exchange.enrolment!.status();
      if (state?.status !== 'approved') console.log(`  Member node ${config.node.name}: waiting for the central operator to approve its registration${state ? ` (check code ${state.check_code})` : ''}.`);
      void app.nodeCertified.then(openNodePort);
    } else await openNodePort();
    console.log(`egov is running on ${services.database.describe}, ready in ${Date.now() - started} ms.`);
    if (services.masterKeySource?.from.endsWith('master.key') && !config.masterKeyFile) {
      console.warn(
        `  Warning / 警告: private keys are sealed with a development key file, ${services.masterKeySource.from}${services.masterKeySource.generated ? ' (created now)' : ''}. ` +
          'Set EGOV_MASTER_KEY or EGOV_MASTER_KEY_FILE in production and keep that key apart from the database and its backups.',
      );
    }
    console.log(`  Workbench / 工作台: ${url}`);
    console.log(`  API docs / 接口文档: ${url}api/docs`);
    if (config.env !== 'production' && !config.anchorFile) {
      printDemoSignIns(seeded?.seeded ? seeded : { users: demoUsers().map((u) => u.username), password: config.demoPassword, generated: false });
    }
    return new Promise<number>(() => {}); // runs until a signal arrives
  },
};
