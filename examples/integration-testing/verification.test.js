// The guide's "Mock Verification" snippets, verbatim: "Assert Call Counts" and "Reset Between Tests".
// The one added line brings in `myApp`, the application code the guide leaves to the reader (myApp.js).
const myApp = require('./myApp');

test('payment endpoint is called exactly once', async () => {
  // Create mock
  const res = await fetch('http://localhost:4290/mocks', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      type: 'http',
      http: {
        matcher: { method: 'POST', path: '/api/payments' },
        response: { statusCode: 201, body: '{"id": "pay_123"}' }
      }
    })
  });
  const { id: mockId } = await res.json();

  // Run your application code...
  await myApp.processOrder({ amount: 49.99 });

  // Verify: payment endpoint called exactly once
  const verify = await fetch(`http://localhost:4290/mocks/${mockId}/verify`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ exactly: 1 })
  });
  const result = await verify.json();
  expect(result.passed).toBe(true);
});

beforeEach(async () => {
  // Reset all verification data (call counts + invocation history)
  await fetch('http://localhost:4290/verify', { method: 'DELETE' });
});
