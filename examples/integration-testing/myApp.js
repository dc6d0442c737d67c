// The application under test in the guide's verification example: placing an order charges it through the
// payments API. In a test run that API is mockd (API_BASE_URL, as the guide's other tests use it).
const API = process.env.API_BASE_URL || 'http://localhost:4280';

async function processOrder(order) {
  const response = await fetch(`${API}/api/payments`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ amount: order.amount })
  });
  if (!response.ok) {
    throw new Error(`payment failed with status ${response.status}`);
  }
  return response.json();
}

module.exports = { processOrder };
