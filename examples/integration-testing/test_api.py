# The integration-testing guide's pytest tests, verbatim ("Python" > "Example Tests").
# ruff: noqa
# fmt: off

import requests
import pytest

def test_get_users(mockd_server):
    response = requests.get(f"{mockd_server}/api/users")

    assert response.status_code == 200
    users = response.json()
    assert len(users) >= 1

def test_create_user(mockd_server):
    response = requests.post(
        f"{mockd_server}/api/users",
        json={"name": "Test User", "email": "test@example.com"}
    )

    assert response.status_code == 201
    user = response.json()
    assert "id" in user
    assert user["name"] == "Test User"

def test_user_not_found(mockd_server):
    response = requests.get(f"{mockd_server}/api/users/99999")

    assert response.status_code == 404

class TestStatefulOperations:
    def test_crud_workflow(self, mockd_server):
        # Create
        create_resp = requests.post(
            f"{mockd_server}/api/tasks",
            json={"title": "Test task", "status": "todo"}
        )
        assert create_resp.status_code == 201
        task_id = create_resp.json()["id"]

        # Read
        get_resp = requests.get(f"{mockd_server}/api/tasks/{task_id}")
        assert get_resp.json()["title"] == "Test task"

        # Update
        requests.patch(
            f"{mockd_server}/api/tasks/{task_id}",
            json={"status": "done"}
        )
        get_resp = requests.get(f"{mockd_server}/api/tasks/{task_id}")
        assert get_resp.json()["status"] == "done"

        # Delete
        delete_resp = requests.delete(f"{mockd_server}/api/tasks/{task_id}")
        assert delete_resp.status_code == 204
