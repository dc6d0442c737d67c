// The integration-testing guide's Go example, verbatim: "Testing Setup" followed by "Example Tests"
// (Go wants one package clause and import list per file, so both snippets share this file).

package integration_test

import (
    "encoding/json"
    "net/http"
    "os"
    "os/exec"
    "strings"
    "testing"
    "time"
)

var baseURL = "http://localhost:4280"
var adminURL = "http://localhost:4290"

func TestMain(m *testing.M) {
    // Start mockd
    cmd := exec.Command("mockd", "start", "--config", "test-mocks.json")
    if err := cmd.Start(); err != nil {
        panic(err)
    }

    // Wait for ready
    waitForServer(baseURL + "/health")

    // Run tests
    code := m.Run()

    // Cleanup
    cmd.Process.Kill()
    os.Exit(code)
}

func waitForServer(url string) {
    for i := 0; i < 50; i++ {
        if _, err := http.Get(url); err == nil {
            return
        }
        time.Sleep(100 * time.Millisecond)
    }
    panic("server did not start")
}

func resetState(t *testing.T) {
    t.Helper()
    req, _ := http.NewRequest("POST", adminURL+"/state/resources/users/reset", nil)
    http.DefaultClient.Do(req)
    req, _ = http.NewRequest("POST", adminURL+"/state/resources/tasks/reset", nil)
    http.DefaultClient.Do(req)
}

func TestGetUsers(t *testing.T) {
    resetState(t)

    resp, err := http.Get(baseURL + "/api/users")
    if err != nil {
        t.Fatal(err)
    }
    defer resp.Body.Close()

    if resp.StatusCode != 200 {
        t.Errorf("expected 200, got %d", resp.StatusCode)
    }

    var users []map[string]interface{}
    json.NewDecoder(resp.Body).Decode(&users)

    if len(users) == 0 {
        t.Error("expected users")
    }
}

func TestCreateTask(t *testing.T) {
    resetState(t)

    body := strings.NewReader(`{"title": "Test", "status": "todo"}`)
    resp, err := http.Post(baseURL+"/api/tasks", "application/json", body)
    if err != nil {
        t.Fatal(err)
    }
    defer resp.Body.Close()

    if resp.StatusCode != 201 {
        t.Errorf("expected 201, got %d", resp.StatusCode)
    }

    var task map[string]interface{}
    json.NewDecoder(resp.Body).Decode(&task)

    if _, ok := task["id"]; !ok {
        t.Error("expected id field")
    }
}
