<?xml version="1.0" encoding="UTF-8"?>
<!-- The collection a document belongs to (a member of a teiCorpus file: the corpus headers it
     stands in, the context's document/collection, outermost first), under its heading. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:ty="urn:x-tei-edition:typst"
  xmlns:f="urn:x-tei-edition:functions"
  exclude-result-prefixes="#all">

  <xsl:template name="ty:collection">
    <xsl:param name="doc" as="element()?"/>
    <xsl:if test="exists($doc/collection)">
      <xsl:value-of select="concat('#block[_#' || ty:lit(f:msg('collection.heading') || ':') || '_ ',
                                   ty:text(string-join($doc/collection/@title, ' › ')), ']&#10;')"/>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>
