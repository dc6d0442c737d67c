// The integration-testing guide's Jest setup, verbatim ("JavaScript / Node.js" > "Jest Setup").
// jest.config.js loads it into every test file: each file starts mockd from PATH with test-mocks.json and
// stops it afterwards, and every test starts from the seeded users.

const { spawn } = require('child_process');

let mockdProcess;

beforeAll(async () => {
  // Start mockd
  mockdProcess = spawn('mockd', ['start', '--config', 'test-mocks.json'], {
    stdio: 'pipe'
  });

  // Wait for server to be ready
  await waitForServer('http://localhost:4280/health');
});

afterAll(() => {
  if (mockdProcess) {
    mockdProcess.kill();
  }
});

beforeEach(async () => {
  // Reset stateful resources to seed data
  await fetch('http://localhost:4290/state/resources/users/reset', { method: 'POST' });
});

async function waitForServer(url, timeout = 5000) {
  const start = Date.now();
  while (Date.now() - start < timeout) {
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise(r => setTimeout(r, 100));
    }
  }
  throw new Error('Server did not start');
}
