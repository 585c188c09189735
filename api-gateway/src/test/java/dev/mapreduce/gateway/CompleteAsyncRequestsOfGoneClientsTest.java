package dev.mapreduce.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.RequestDispatcher;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class CompleteAsyncRequestsOfGoneClientsTest {

    final CompleteAsyncRequestsOfGoneClients filter = new CompleteAsyncRequestsOfGoneClients();
    final MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/jobs/events");
    final MockHttpServletResponse response = new MockHttpServletResponse();

    @Test
    void anAsyncRequestWhoseFirstWriteFailedIsCompletedBeforeTheRequestThreadLeaves() throws Exception {
        request.setAsyncSupported(true);
        filter.doFilter(request, response, (req, res) -> {
            req.startAsync();
            // as Tomcat records a write to a client that reset the connection
            req.setAttribute(RequestDispatcher.ERROR_EXCEPTION, new IOException("Connection reset by peer"));
        });

        assertThat(request.isAsyncStarted()).isFalse();
    }

    @Test
    void aHealthyAsyncRequestStaysOpen() throws Exception {
        request.setAsyncSupported(true);
        filter.doFilter(request, response, (req, res) -> req.startAsync());

        assertThat(request.isAsyncStarted()).isTrue();
    }
}
