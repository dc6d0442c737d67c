module example.com/mockd-integration-testing

go 1.22
