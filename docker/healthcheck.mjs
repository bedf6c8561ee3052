// Container health check (docker/Dockerfile HEALTHCHECK): GET /healthz on the metrics port decides when
// the running command serves it; when nothing listens there, `sentiflow doctor` (Kafka and ClickHouse
// reachable) decides. Exit 0 = healthy, 1 = unhealthy, as Docker expects.
import { spawnSync } from 'node:child_process';
import { request } from 'node:http';

const port = Number(process.env.METRICS_PORT || 9464);
const host =
  process.env.METRICS_HOST && process.env.METRICS_HOST !== '0.0.0.0' ? process.env.METRICS_HOST : '127.0.0.1';

function healthz() {
  return new Promise((resolve) => {
    const req = request({ host, port, path: '/healthz', timeout: 5000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200 ? 'ok' : 'unhealthy');
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error) => resolve(error.code === 'ECONNREFUSED' ? 'absent' : 'unhealthy'));
    req.end();
  });
}

const state = await healthz();
if (state === 'ok') process.exit(0);
if (state === 'unhealthy') process.exit(1);
const doctor = spawnSync('sentiflow', ['doctor', '--timeout', '3000'], { stdio: 'inherit' });
process.exit(doctor.status === 0 ? 0 : 1);
