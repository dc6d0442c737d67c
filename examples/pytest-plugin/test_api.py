"""The integration-testing guide's pytest example, with the mockd plugin instead of a hand-written
conftest.py: no subprocess, no polling loop, no fixed ports, no admin URLs."""

import httpx

from mockd.client import MockdClient


def test_get_users(mockd_url: str) -> None:
    response = httpx.get(f"{mockd_url}/api/users")

    assert response.status_code == 200
    users = response.json()
    assert len(users) >= 1


def test_create_user(mockd_url: str) -> None:
    response = httpx.post(f"{mockd_url}/api/users", json={"name": "Test User", "email": "test@example.com"})

    assert response.status_code == 201
    user = response.json()
    assert "id" in user
    assert user["name"] == "Test User"


def test_user_not_found(mockd_url: str) -> None:
    response = httpx.get(f"{mockd_url}/api/users/99999")

    assert response.status_code == 404


def test_crud_workflow(mockd_url: str) -> None:
    create_resp = httpx.post(f"{mockd_url}/api/tasks", json={"title": "Test task", "status": "todo"})
    assert create_resp.status_code == 201
    task_id = create_resp.json()["id"]

    get_resp = httpx.get(f"{mockd_url}/api/tasks/{task_id}")
    assert get_resp.json()["title"] == "Test task"

    httpx.patch(f"{mockd_url}/api/tasks/{task_id}", json={"status": "done"})
    get_resp = httpx.get(f"{mockd_url}/api/tasks/{task_id}")
    assert get_resp.json()["status"] == "done"

    delete_resp = httpx.delete(f"{mockd_url}/api/tasks/{task_id}")
    assert delete_resp.status_code == 204


def test_every_test_starts_from_the_seed(mockd_url: str) -> None:
    tasks = httpx.get(f"{mockd_url}/api/tasks").json()

    assert sorted(t["id"] for t in tasks["data"]) == ["task-1", "task-2"]


def test_payment_is_called_exactly_once(mockd: MockdClient, mockd_url: str) -> None:
    created = mockd.create_mock(
        {
            "type": "http",
            "http": {
                "matcher": {"method": "POST", "path": "/api/payments"},
                "response": {"statusCode": 201, "body": '{"id": "pay_123"}'},
            },
        }
    )

    httpx.post(f"{mockd_url}/api/payments", json={"amount": 49.99})  # your application code

    mockd.verify(created.id, exactly=1)
