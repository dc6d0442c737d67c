// The guide's "Example Tests" followed by "Testing Error Scenarios", verbatim: the error scenarios use
// the `API` constant the first snippet defines, so the two live in one file, in the guide's order.

const API = process.env.API_BASE_URL || 'http://localhost:4280';

describe('User Service', () => {
  test('fetches user by ID', async () => {
    const response = await fetch(`${API}/api/users/1`);
    const user = await response.json();

    expect(response.status).toBe(200);
    expect(user).toEqual({
      id: 1,
      name: 'Alice',
      email: 'alice@example.com'
    });
  });

  test('handles user not found', async () => {
    const response = await fetch(`${API}/api/users/999`);

    expect(response.status).toBe(404);
  });

  test('creates new user', async () => {
    const response = await fetch(`${API}/api/users`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        name: 'Charlie',
        email: 'charlie@example.com'
      })
    });

    expect(response.status).toBe(201);

    const user = await response.json();
    expect(user.id).toBeDefined();
    expect(user.name).toBe('Charlie');
  });
});

describe('Error Handling', () => {
  test('handles server errors gracefully', async () => {
    // Add temporary mock for error
    await fetch('http://localhost:4290/mocks', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        type: 'http',
        http: {
          matcher: { method: 'GET', path: '/api/flaky' },
          response: { statusCode: 500, body: '{"error": "Internal error"}' }
        }
      })
    });

    const response = await fetch(`${API}/api/flaky`);

    expect(response.status).toBe(500);
    // Test your app's error handling
  });

  test('handles timeout', async () => {
    await fetch('http://localhost:4290/mocks', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        type: 'http',
        http: {
          matcher: { method: 'GET', path: '/api/slow' },
          response: { statusCode: 200, delayMs: 10000, body: '{}' }
        }
      })
    });

    const controller = new AbortController();
    const timeout = setTimeout(() => controller.abort(), 1000);

    await expect(
      fetch(`${API}/api/slow`, { signal: controller.signal })
    ).rejects.toThrow();

    clearTimeout(timeout);
  });
});
