package dev.mapreduce.gateway;

import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Completes an async request (an event stream, a result download) whose client went away while the
 * request's first dispatch was still running. A write that fails then (the buffered first event of
 * a stream is written by Spring MVC on the request thread, after the stream has started) puts
 * Tomcat's async request in an error state, Spring MVC answers the error with an async dispatch,
 * and Tomcat 11.0.24 closes the connection without ever running that dispatch: the request stays
 * counted as in progress (StandardContext.inProgressAsyncCount) for good, and the graceful shutdown
 * waits its whole timeout for it. Completing it here, still on the request thread, lets Tomcat end
 * it as the connection closes.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class CompleteAsyncRequestsOfGoneClients extends HttpFilter {

    private static final Logger log = LoggerFactory.getLogger(CompleteAsyncRequestsOfGoneClients.class);

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        try {
            chain.doFilter(request, response);
        } finally {
            // Tomcat records the failed write's IOException here (AbstractProcessor.setErrorState)
            if (request.isAsyncStarted()
                    && request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof IOException gone) {
                try {
                    request.getAsyncContext().complete();
                    log.debug("Async request of a gone client completed: {}", gone.getMessage());
                } catch (IllegalStateException e) {
                    // another thread already completed or dispatched it: Tomcat ends it then
                    log.debug("Async request of a gone client already ending: {}", e.getMessage());
                }
            }
        }
    }
}
