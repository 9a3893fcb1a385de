import { SIM_ADMIN_KEY } from '../../lib/simulator/model';
import { startSimulatorServer } from './server';

// `npm run sim [-- --port 8123 --latency 50 --dialect strict|variant]`: a local Kakao API for trying a test build by
// hand.
const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const dialect = arg('dialect') ?? 'strict';
if (dialect !== 'strict' && dialect !== 'variant') {
  console.error(`--dialect must be strict or variant, not "${dialect}"`);
  process.exit(2);
}
const server = await startSimulatorServer({
  port: Number(arg('port') ?? 8123),
  latencyMs: Number(arg('latency') ?? 50),
  // `variant`: the answer shapes third-party clients reported from the real API (lib/simulator/dialect.ts).
  dialect,
});
console.log(`Kakao API simulator on ${server.origin} (dialect: ${dialect})`);
console.log(
  `Admin key: ${SIM_ADMIN_KEY}   linked channels: ${server.sim
    .linkedChannels()
    .map((c) => c.publicId)
    .join(', ')}`,
);
console.log(`Build against it: WXT_KAKAO_API_ORIGIN=${server.origin} npm run build`);
process.on('SIGINT', () => void server.close().then(() => process.exit(0)));
