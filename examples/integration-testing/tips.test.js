// The guide's Tips 3 ("Parallel Test Safety") and 4 ("Dynamic Mocks for Edge Cases"), verbatim.

beforeEach(async () => {
  await fetch('http://localhost:4290/state/resources/users/reset', { method: 'POST' });
});

test('handles rate limiting', async () => {
  await fetch('http://localhost:4290/mocks', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      type: 'http',
      http: {
        matcher: { method: 'GET', path: '/api/limited' },
        response: {
          statusCode: 429,
          headers: { 'Retry-After': '60' },
          body: '{"error": "Rate limited"}'
        }
      }
    })
  });

  // Test your rate limit handling
});
